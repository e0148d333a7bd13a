package platform

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

func unsafePointer(p *windows.SERVICE_DESCRIPTION) unsafe.Pointer { return unsafe.Pointer(p) }
