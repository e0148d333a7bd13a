//go:build !linux

package lib

// Supported says whether the library works on this platform.
const Supported = false
