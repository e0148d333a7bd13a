// Package goole calls the real github.com/go-ole/go-ole, analyzed with
// rules/com/goole.yaml.
package goole

import (
	"errors"

	ole "github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
)

var errNoName = errors.New("no name")

// createLeaks loses the object when QueryInterface fails.
func createLeaks() (*ole.IDispatch, error) { // want createLeaks:"owned com-ref r0"
	unk, err := oleutil.CreateObject("WbemScripting.SWbemLocator") // want `com-ref from oleutil.CreateObject is not closed on every path`
	if err != nil {
		return nil, err
	}
	disp, err := unk.QueryInterface(ole.IID_IDispatch)
	if err != nil {
		return nil, err
	}
	unk.Release()
	return disp, nil
}

// createOK releases the IUnknown on every path and hands the IDispatch on.
func createOK() (*ole.IDispatch, error) { // want createOK:"owned com-ref r0"
	unk, err := oleutil.CreateObject("WbemScripting.SWbemLocator")
	if err != nil {
		return nil, err
	}
	defer unk.Release()
	return unk.QueryInterface(ole.IID_IDispatch)
}

// queryLeaks loses the IDispatch when CallMethod fails.
func queryLeaks(unk *ole.IUnknown) error {
	disp, err := unk.QueryInterface(ole.IID_IDispatch) // want `com-ref from \(\*go-ole.IUnknown\).QueryInterface is not closed on every path`
	if err != nil {
		return err
	}
	v, err := oleutil.CallMethod(disp, "ConnectServer")
	if err != nil {
		return err
	}
	v.Clear()
	disp.Release()
	return nil
}

// queryOK: defer disp.Release(), a method promoted from ole.IUnknown.
func queryOK(unk *ole.IUnknown) error {
	disp, err := unk.IDispatch(ole.IID_IDispatch)
	if err != nil {
		return err
	}
	defer disp.Release()
	v, err := oleutil.CallMethod(disp, "ConnectServer")
	if err != nil {
		return err
	}
	defer v.Clear()
	return nil
}

// callLeaks loses the variant when it is not a string.
func callLeaks(disp *ole.IDispatch) (string, error) {
	v, err := oleutil.GetProperty(disp, "Name") // want `variant from oleutil.GetProperty is not closed on every path`
	if err != nil {
		return "", err
	}
	if v.VT != ole.VT_BSTR {
		return "", errNoName
	}
	s := v.ToString()
	ole.VariantClear(v)
	return s, nil
}

// callOK clears the variant with a defer.
func callOK(disp *ole.IDispatch) (string, error) {
	v, err := disp.GetProperty("Name")
	if err != nil {
		return "", err
	}
	defer v.Clear()
	if v.VT != ole.VT_BSTR {
		return "", errNoName
	}
	return v.ToString(), nil
}

// toIDispatchOK: the IDispatch is the variant's, released by its Clear.
func toIDispatchOK(disp *ole.IDispatch) error {
	raw, err := oleutil.CallMethod(disp, "ConnectServer")
	if err != nil {
		return err
	}
	defer raw.Clear()
	service := raw.ToIDispatch()
	v, err := oleutil.CallMethod(service, "ExecQuery", "SELECT * FROM Win32_Process")
	if err != nil {
		return err
	}
	return v.Clear()
}

// toIDispatchReleased releases the variant's reference and clears it too.
func toIDispatchReleased(disp *ole.IDispatch) error {
	raw, err := oleutil.CallMethod(disp, "ConnectServer")
	if err != nil {
		return err
	}
	defer raw.Clear()
	service := raw.ToIDispatch()
	defer service.Release()                        // want `the deferred \(\*go-ole.IUnknown\).Release closes a borrowed handle from \(\*go-ole.VARIANT\).ToIDispatch`
	_, err = oleutil.GetProperty(service, "Count") // want `variant from oleutil.GetProperty is not closed on every path`
	return err
}

// bstrLeaks loses the BSTR when the name is empty.
func bstrLeaks(name string) (*int16, error) { // want bstrLeaks:"owned bstr r0"
	s := ole.SysAllocString(name) // want `bstr from go-ole.SysAllocString is not closed on every path`
	if name == "" {
		return nil, errNoName
	}
	return s, nil
}

// bstrOK frees the BSTR.
func bstrOK(name string) uint32 {
	s := ole.SysAllocString(name)
	defer ole.SysFreeString(s)
	return ole.SysStringLen(s)
}
