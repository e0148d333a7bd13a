// Package goole calls the real github.com/go-ole/go-ole, analyzed with the
// shipped rules/com/goole.yaml (TestCOMGoOle).
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

// variantNotTracked: rules/com/goole.yaml has no VARIANT rules (a VT_I4
// result needs no VariantClear, and which type comes back is known only at
// run time), so a variant that is never cleared is not reported.
func variantNotTracked(disp *ole.IDispatch) (int64, error) {
	v, err := oleutil.GetProperty(disp, "Count")
	if err != nil {
		return 0, err
	}
	return v.Val, nil
}

// clearIdiom: the IDispatch is the variant's, released by its Clear.
func clearIdiom(disp *ole.IDispatch) error {
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

// enumIdiom: go-ole's and wmi's loop, which releases each item's IDispatch
// and does not clear the VARIANT (the same reference): no borrowed-release.
func enumIdiom(unk *ole.IUnknown) error {
	enum, err := unk.IEnumVARIANT(ole.IID_IEnumVariant)
	if err != nil {
		return err
	}
	defer enum.Release()
	for item, length, err := enum.Next(1); length > 0; item, length, err = enum.Next(1) {
		if err != nil {
			return err
		}
		obj := item.ToIDispatch()
		obj.Release()
	}
	return nil
}

// enumLeaks loses the enumerator when the property read fails.
func enumLeaks(unk *ole.IUnknown, disp *ole.IDispatch) error {
	enum, err := unk.IEnumVARIANT(ole.IID_IEnumVariant) // want `com-ref from \(\*go-ole.IUnknown\).IEnumVARIANT is not closed on every path`
	if err != nil {
		return err
	}
	if _, err := oleutil.GetProperty(disp, "Count"); err != nil {
		return err
	}
	enum.Release()
	return nil
}

// getActiveOK releases the running object with a deferred closure.
func getActiveOK() error {
	unk, err := oleutil.GetActiveObject("Excel.Application")
	if err != nil {
		return err
	}
	defer func() { unk.Release() }()
	_, err = unk.QueryInterface(ole.IID_IDispatch) // want `com-ref from \(\*go-ole.IUnknown\).QueryInterface is not closed on every path`
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

// releasedTwice releases the IUnknown and defers its Release too.
func releasedTwice() error {
	unk, err := oleutil.CreateObject("WbemScripting.SWbemLocator")
	if err != nil {
		return err
	}
	defer unk.Release()
	unk.Release() // want `double release`
	return nil
}

// coinit is StackExchange/wmi's coinitService: the references are released
// by a cleanup closure held in a variable, run by a deferred closure when
// the function fails and handed to the caller, with them, when it
// succeeds. It was reported leaking the IUnknown where QueryInterface
// fails.
func coinit() (*ole.IDispatch, func(), error) {
	var unknown *ole.IUnknown
	var wmi *ole.IDispatch
	cleanup := func() {
		if wmi != nil {
			wmi.Release()
		}
		if unknown != nil {
			unknown.Release()
		}
	}
	var err error
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	unknown, err = oleutil.CreateObject("WbemScripting.SWbemLocator")
	if err != nil {
		return nil, nil, err
	}
	wmi, err = unknown.QueryInterface(ole.IID_IDispatch)
	if err != nil {
		return nil, nil, err
	}
	return wmi, cleanup, nil
}

// coinitLeaks drops the cleanup on success: the IUnknown leaks.
func coinitLeaks() (err error) {
	var unknown *ole.IUnknown
	cleanup := func() {
		if unknown != nil {
			unknown.Release()
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	unknown, err = oleutil.CreateObject("WbemScripting.SWbemLocator") // want `com-ref from oleutil.CreateObject is not closed on every path`
	if err != nil {
		return err
	}
	if err = ole.CoInitialize(0); err != nil {
		return err
	}
	return nil
}
