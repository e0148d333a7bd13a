// Package iis is a user's Go binding of the IIS native module API: an
// interface over the COM-style IHttpUser. Its GetImpersonationToken returns
// a token IIS owns ("clients must not call CloseHandle on the returned
// handle"); handlecheck knows that only from a user rule.
package iis

import "golang.org/x/sys/windows"

// IHttpUser is the binding of IIS's IHttpUser.
type IHttpUser interface {
	GetUserName() string
	GetImpersonationToken() windows.Handle
	GetPrimaryToken() windows.Handle
}
