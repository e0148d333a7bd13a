// Package win32uses calls GDI, menu and credential procedures through
// LazyProc.Call, as systray-style bindings do: procedures that only use
// the handles passed to them (uses rules on native procedures), with
// their ownership transfers (AppendMenuW with MF_POPUP), and the DC and
// credential sources.
package win32uses

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	g32                 = windows.NewLazySystemDLL("Gdi32.dll")
	pCreateCompatibleDC = g32.NewProc("CreateCompatibleDC")
	pCreateDIBSection   = g32.NewProc("CreateDIBSection")
	pDeleteDC           = g32.NewProc("DeleteDC")
	pDeleteObject       = g32.NewProc("DeleteObject")
	pSelectObject       = g32.NewProc("SelectObject")
	pBitBlt             = g32.NewProc("BitBlt")

	u32              = windows.NewLazySystemDLL("User32.dll")
	pGetDC           = u32.NewProc("GetDC")
	pReleaseDC       = u32.NewProc("ReleaseDC")
	pDrawIconEx      = u32.NewProc("DrawIconEx")
	pCreateMenu      = u32.NewProc("CreateMenu")
	pCreatePopupMenu = u32.NewProc("CreatePopupMenu")
	pDestroyMenu     = u32.NewProc("DestroyMenu")
	pAppendMenu      = u32.NewProc("AppendMenuW")
	pTrackPopupMenu  = u32.NewProc("TrackPopupMenu")
	pSetMenuItemInfo = u32.NewProc("SetMenuItemInfoW")

	advapi32    = windows.NewLazySystemDLL("advapi32.dll")
	pCredReadW  = advapi32.NewProc("CredReadW")
	pCredFree   = advapi32.NewProc("CredFree")
	pCredWriteW = advapi32.NewProc("CredWriteW")
)

const (
	mfString = 0x0
	mfPopup  = 0x10
)

type bitmapInfo struct {
	Size          uint32
	Width, Height int32
	Planes        uint16
	BitCount      uint16
	_             [24]byte
}

// create32BitHBitmap is systray's: a source of the DIB section for its
// callers.
func create32BitHBitmap(hDC uintptr, cx, cy int32) (uintptr, error) { // want create32BitHBitmap:"owned object r0"
	bmi := bitmapInfo{Width: cx, Height: cy, Planes: 1, BitCount: 32}
	bmi.Size = uint32(unsafe.Sizeof(bmi))
	var bits uintptr
	hBitmap, _, err := pCreateDIBSection.Call(hDC, uintptr(unsafe.Pointer(&bmi)), 0, uintptr(unsafe.Pointer(&bits)), 0, 0)
	if hBitmap == 0 {
		return 0, err
	}
	return hBitmap, nil
}

// iconToBitmap is systray v1.12.2's (set C miss #1): when DrawIconEx
// fails, the DIB section selected into the memory DC is never deleted.
// SelectObject only selects it, and the deferred SelectObject restores
// the DC's original bitmap.
func iconToBitmap(hIcon windows.Handle) (windows.Handle, error) { // want iconToBitmap:"owned object r0"
	hDC, _, err := pGetDC.Call(0)
	if hDC == 0 {
		return 0, err
	}
	defer pReleaseDC.Call(0, hDC)
	hMemDC, _, err := pCreateCompatibleDC.Call(hDC)
	if hMemDC == 0 {
		return 0, err
	}
	defer pDeleteDC.Call(hMemDC)
	hMemBmp, err := create32BitHBitmap(hMemDC, 16, 16) // want `object from win32uses.create32BitHBitmap \(gdi32.dll!CreateDIBSection\) is not closed on every path`
	hOriginalBmp, _, _ := pSelectObject.Call(hMemDC, hMemBmp)
	defer pSelectObject.Call(hMemDC, hOriginalBmp)
	res, _, err := pDrawIconEx.Call(hMemDC, 0, 0, uintptr(hIcon), 16, 16, 0, 0, 3)
	if res == 0 {
		return 0, err
	}
	return windows.Handle(hMemBmp), nil
}

// The correct variant: the bitmap is checked, and deleted where DrawIconEx
// fails, after the original bitmap is selected back.
func iconToBitmapFixed(hIcon windows.Handle) (windows.Handle, error) { // want iconToBitmapFixed:"owned object r0"
	hDC, _, err := pGetDC.Call(0)
	if hDC == 0 {
		return 0, err
	}
	defer pReleaseDC.Call(0, hDC)
	hMemDC, _, err := pCreateCompatibleDC.Call(hDC)
	if hMemDC == 0 {
		return 0, err
	}
	defer pDeleteDC.Call(hMemDC)
	hMemBmp, err := create32BitHBitmap(hMemDC, 16, 16)
	if err != nil {
		return 0, err
	}
	hOriginalBmp, _, _ := pSelectObject.Call(hMemDC, hMemBmp)
	res, _, err := pDrawIconEx.Call(hMemDC, 0, 0, uintptr(hIcon), 16, 16, 0, 0, 3)
	pSelectObject.Call(hMemDC, hOriginalBmp)
	if res == 0 {
		pDeleteObject.Call(hMemBmp)
		return 0, err
	}
	return windows.Handle(hMemBmp), nil
}

// A screen DC that is never released.
func screenDCLeak(dst uintptr) error {
	hDC, _, err := pGetDC.Call(0) // want `window-dc from user32.dll!GetDC is not closed on every path: release it with user32.dll!ReleaseDC`
	if hDC == 0 {
		return err
	}
	r, _, err := pBitBlt.Call(dst, 0, 0, 16, 16, hDC, 0, 0, 0x00CC0020)
	if r == 0 {
		return err
	}
	pReleaseDC.Call(0, hDC)
	return nil
}

// MS DeleteDC: "An application must not delete a DC whose handle was
// obtained by calling the GetDC function."
func screenDCDeleted() {
	hDC, _, _ := pGetDC.Call(0)
	if hDC == 0 {
		return
	}
	pDeleteDC.Call(hDC) // want `wrong releaser: gdi32.dll!DeleteDC does not release a window-dc from user32.dll!GetDC: release it with user32.dll!ReleaseDC`
}

// A memory DC left behind on the error path.
func memoryDCLeak(dst uintptr) error {
	hMemDC, _, err := pCreateCompatibleDC.Call(0) // want `memory-dc from gdi32.dll!CreateCompatibleDC is not closed on every path`
	if hMemDC == 0 {
		return err
	}
	if r, _, err := pBitBlt.Call(dst, 0, 0, 16, 16, hMemDC, 0, 0, 0x00CC0020); r == 0 {
		return err
	}
	pDeleteObject.Call(hMemDC) // MS CreateCompatibleDC: DeleteObject deletes a memory DC too
	return nil
}

// A bitmap selected into a DC after it was deleted. Not reported yet: the
// engine looks for a use after release among a call's own arguments, and
// a native procedure's are inside its variadic slice.
func selectDeleted(hMemDC uintptr) {
	hBmp, _ := create32BitHBitmap(hMemDC, 16, 16)
	if hBmp == 0 {
		return
	}
	pDeleteObject.Call(hBmp)
	pSelectObject.Call(hMemDC, hBmp)
}

// A context menu built, shown and never destroyed: AppendMenuW without
// MF_POPUP and TrackPopupMenu only use it.
func contextMenuLeak(hwnd uintptr, title *uint16) error {
	menu, _, err := pCreatePopupMenu.Call() // want `hmenu from user32.dll!CreatePopupMenu is not closed on every path`
	if menu == 0 {
		return err
	}
	if r, _, err := pAppendMenu.Call(menu, mfString, 1, uintptr(unsafe.Pointer(title))); r == 0 {
		return err
	}
	pTrackPopupMenu.Call(menu, 0, 0, 0, 0, hwnd, 0)
	pDestroyMenu.Call(menu)
	return nil
}

// The submenu is attached to the menu bar through AppendMenuW with
// MF_POPUP: the bar destroys it (DestroyMenu is recursive). Quiet.
func attachSubmenu(bar uintptr, title *uint16) error {
	sub, _, err := pCreatePopupMenu.Call()
	if sub == 0 {
		return err
	}
	if r, _, err := pAppendMenu.Call(sub, mfString, 1, uintptr(unsafe.Pointer(title))); r == 0 {
		pDestroyMenu.Call(sub)
		return err
	}
	if r, _, err := pAppendMenu.Call(bar, mfString|mfPopup, sub, uintptr(unsafe.Pointer(title))); r == 0 {
		pDestroyMenu.Call(sub)
		return err
	}
	return nil
}

// With flags that are not a constant, AppendMenuW may attach the menu:
// it counts as handed on. Quiet.
func appendUnknownFlags(bar uintptr, flags uintptr, title *uint16) {
	sub, _, _ := pCreatePopupMenu.Call()
	if sub == 0 {
		return
	}
	pAppendMenu.Call(bar, flags, sub, uintptr(unsafe.Pointer(title)))
}

type menuItemInfo struct {
	Size, Mask, Type, State uint32
	ID                      uint32
	SubMenu                 windows.Handle
	Checked, Unchecked      windows.Handle
	ItemData                uintptr
	TypeData                *uint16
	Cch                     uint32
	BmpItem                 windows.Handle
}

// systray's convertToSubMenu (set C miss #3): the menu is attached
// through a MENUITEMINFO passed by pointer, and leaks when
// SetMenuItemInfoW fails. Not reported: where SetMenuItemInfoW succeeds,
// the parent menu takes hSubMenu over, and a rule cannot say so (a uses
// rule would report every submenu attached this way), so the menu is
// handed on there.
func convertToSubMenu(hMenu uintptr, id uint32) (windows.Handle, error) {
	res, _, err := pCreateMenu.Call()
	if res == 0 {
		return 0, err
	}
	menu := windows.Handle(res)
	mi := menuItemInfo{Mask: 0x4, SubMenu: menu}
	mi.Size = uint32(unsafe.Sizeof(mi))
	res, _, err = pSetMenuItemInfo.Call(hMenu, uintptr(id), 0, uintptr(unsafe.Pointer(&mi)))
	if res == 0 {
		return 0, err
	}
	return menu, nil
}

type credential struct {
	Flags, Type uint32
	TargetName  *uint16
	_           [64]byte
}

// A credential read and dropped on the error path.
func credLeak(target *uint16) (string, error) {
	var cred *credential
	r, _, err := pCredReadW.Call(uintptr(unsafe.Pointer(target)), 1, 0, uintptr(unsafe.Pointer(&cred))) // want `cred-buffer from advapi32.dll!CredReadW is not closed on every path`
	if r == 0 {
		return "", err
	}
	if cred.TargetName == nil {
		return "", syscall.EINVAL
	}
	name := windows.UTF16PtrToString(cred.TargetName)
	pCredFree.Call(uintptr(unsafe.Pointer(cred)))
	return name, nil
}

// wincred's shape: freed by defer once the read succeeded. Quiet.
func credRead(target *uint16) (string, error) {
	var cred *credential
	r, _, err := pCredReadW.Call(uintptr(unsafe.Pointer(target)), 1, 0, uintptr(unsafe.Pointer(&cred)))
	if r == 0 {
		return "", err
	}
	defer pCredFree.Call(uintptr(unsafe.Pointer(cred)))
	return windows.UTF16PtrToString(cred.TargetName), nil
}

// A procedure no rule names still hands the handle on. Quiet.
func handedOn(hMemDC uintptr) {
	hBmp, _ := create32BitHBitmap(hMemDC, 16, 16)
	if hBmp == 0 {
		return
	}
	pCredWriteW.Call(hBmp)
}
