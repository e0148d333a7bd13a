package recall5

import "unsafe"

func unsafePointer(p *uint16) unsafe.Pointer { return unsafe.Pointer(p) } // want unsafePointer:"returns a0 as r0"
