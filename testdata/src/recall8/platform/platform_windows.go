// Package platform has the two bugs that golang.org/x/sys/windows/svc and
// svc/mgr fixed (CL 357250, CL 198298), in a package that the rules name
// as a platform package: they are found when it is analyzed as asked for.
package platform

import (
	"golang.org/x/sys/windows"
)

// serviceMain closes the service status handle, which is never closed.
func serviceMain(name *uint16, ctlHandler uintptr) error {
	h, err := windows.RegisterServiceCtrlHandlerEx(name, ctlHandler, 0)
	if err != nil {
		return err
	}
	windows.CloseHandle(h) // want `windows.CloseHandle closes a borrowed handle from windows.RegisterServiceCtrlHandlerEx`
	return nil
}

// CreateService closes the service handle with the wrong releaser when
// setting its description fails, as mgr.(*Mgr).CreateService did.
func CreateService(m, name *uint16) (windows.Handle, error) { // want CreateService:"owned service-handle r0"
	h, err := windows.CreateService(windows.Handle(0), name, name, windows.SERVICE_ALL_ACCESS, windows.SERVICE_WIN32_OWN_PROCESS, windows.SERVICE_DEMAND_START, windows.SERVICE_ERROR_NORMAL, m, nil, nil, nil, nil, nil)
	if err != nil {
		return 0, err
	}
	desc := windows.SERVICE_DESCRIPTION{Description: name}
	if err := windows.ChangeServiceConfig2(h, windows.SERVICE_CONFIG_DESCRIPTION, (*byte)(unsafePointer(&desc))); err != nil {
		windows.CloseHandle(h) // want `wrong releaser: windows.CloseHandle does not release a service-handle`
		return 0, err
	}
	return h, nil
}

// CreateServiceFixed closes it with CloseServiceHandle.
func CreateServiceFixed(m, name *uint16) (windows.Handle, error) { // want CreateServiceFixed:"owned service-handle r0"
	h, err := windows.CreateService(windows.Handle(0), name, name, windows.SERVICE_ALL_ACCESS, windows.SERVICE_WIN32_OWN_PROCESS, windows.SERVICE_DEMAND_START, windows.SERVICE_ERROR_NORMAL, m, nil, nil, nil, nil, nil)
	if err != nil {
		return 0, err
	}
	desc := windows.SERVICE_DESCRIPTION{Description: name}
	if err := windows.ChangeServiceConfig2(h, windows.SERVICE_CONFIG_DESCRIPTION, (*byte)(unsafePointer(&desc))); err != nil {
		windows.CloseServiceHandle(h)
		return 0, err
	}
	return h, nil
}
