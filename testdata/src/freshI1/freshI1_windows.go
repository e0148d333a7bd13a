// Package freshI1 holds the false alarms of the first-contact run of set I
// (eval/fresh), reduced, next to neighbours that must stay reported.
package freshI1

import (
	"errors"
	"fmt"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// dpapi is AzureAD/microsoft-authentication-extensions-for-go/cache
// v0.1.1 accessor/windows.go:86: a closure deferred before the call frees
// what the out-struct's field holds at exit, so the buffer that
// CryptProtectData writes into out.Data later is freed.
func dpapi(data []byte, encrypt bool) (result []byte, err error) {
	out := windows.DataBlob{}
	defer func() {
		if out.Data != nil {
			_, e := windows.LocalFree(windows.Handle(unsafe.Pointer(out.Data)))
			if e != nil && err == nil {
				err = e
			}
		}
	}()
	in := windows.DataBlob{Data: &data[0], Size: uint32(len(data))}
	if encrypt {
		err = windows.CryptProtectData(&in, nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out)
	} else {
		err = errors.New("invalid operation")
	}
	if err == nil {
		result = make([]byte, out.Size)
		copy(result, unsafe.Slice(out.Data, out.Size))
	}
	return result, err
}

// unconditional frees it with no test of the field.
func unconditional(data []byte) ([]byte, error) {
	out := windows.DataBlob{}
	defer func() { windows.LocalFree(windows.Handle(unsafe.Pointer(out.Data))) }()
	in := windows.DataBlob{Data: &data[0], Size: uint32(len(data))}
	if err := windows.CryptUnprotectData(&in, nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil {
		return nil, err
	}
	return append([]byte(nil), unsafe.Slice(out.Data, out.Size)...), nil
}

// readsOnly is the neighbour: its deferred closure reads the struct and
// frees nothing.
func readsOnly(data []byte) ([]byte, error) {
	out := windows.DataBlob{}
	defer func() { fmt.Println(out.Size) }()
	in := windows.DataBlob{Data: &data[0], Size: uint32(len(data))}
	if err := windows.CryptProtectData(&in, nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil { // want `local-memory from windows.CryptProtectData \(field Data\) is not closed on every path`
		return nil, err
	}
	return append([]byte(nil), unsafe.Slice(out.Data, out.Size)...), nil
}

// freesOther frees another blob's data: the neighbour that leaks.
func freesOther(data []byte) ([]byte, error) {
	out := windows.DataBlob{}
	other := windows.DataBlob{}
	defer func() { windows.LocalFree(windows.Handle(unsafe.Pointer(other.Data))) }()
	in := windows.DataBlob{Data: &data[0], Size: uint32(len(data))}
	if err := windows.CryptProtectData(&in, nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil { // want `local-memory from windows.CryptProtectData \(field Data\) is not closed on every path`
		return nil, err
	}
	return append([]byte(nil), unsafe.Slice(out.Data, out.Size)...), nil
}

// freedTwice frees it explicitly too: the closure frees it again.
func freedTwice(data []byte) error {
	out := windows.DataBlob{}
	defer func() { windows.LocalFree(windows.Handle(unsafe.Pointer(out.Data))) }()
	in := windows.DataBlob{Data: &data[0], Size: uint32(len(data))}
	if err := windows.CryptProtectData(&in, nil, nil, 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil {
		return err
	}
	windows.LocalFree(windows.Handle(unsafe.Pointer(out.Data))) // want `double release: windows.LocalFree releases the local-memory from windows.CryptProtectData \(field Data\), and the deferred windows.LocalFree on line 79 releases it again`
	return nil
}

var (
	kernel32                     = syscall.NewLazyDLL("kernel32.dll")
	procCreateToolhelp32Snapshot = kernel32.NewProc("CreateToolhelp32Snapshot")
	procCloseHandle              = kernel32.NewProc("CloseHandle")
)

// snapshot is shirou/w32 kernel32.go:227: `ret <= 0` of the uintptr result
// is ret == 0, no handle; the function returns the handle to its caller.
func snapshot(flags, pid uint32) syscall.Handle { // want snapshot:"owned handle r0"
	ret, _, _ := procCreateToolhelp32Snapshot.Call(uintptr(flags), uintptr(pid))
	if ret <= 0 {
		return 0
	}
	return syscall.Handle(ret)
}

// snapshotPositive tests the other way round.
func snapshotPositive(flags, pid uint32) syscall.Handle { // want snapshotPositive:"owned handle r0"
	ret, _, _ := procCreateToolhelp32Snapshot.Call(uintptr(flags), uintptr(pid))
	if ret > 0 {
		return syscall.Handle(ret)
	}
	return 0
}

// snapshotLeak is the neighbour: the handle is dropped after the test.
func snapshotLeak(flags, pid uint32) error {
	ret, _, _ := procCreateToolhelp32Snapshot.Call(uintptr(flags), uintptr(pid)) // want `handle from kernel32.dll!CreateToolhelp32Snapshot is not closed on every path`
	if ret <= 0 {
		return errors.New("no snapshot")
	}
	if pid == 0 {
		return errors.New("pid 0")
	}
	procCloseHandle.Call(ret)
	return nil
}

func use() {
	unconditional(nil)
	dpapi(nil, true)
	readsOnly(nil)
	freesOther(nil)
	freedTwice(nil)
	windows.CloseHandle(windows.Handle(snapshot(0, 0)))
	windows.CloseHandle(windows.Handle(snapshotPositive(0, 0)))
	snapshotLeak(0, 0)
}
