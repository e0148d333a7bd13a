// Package win32api calls Win32 APIs that x/sys does not wrap (and some it
// does) through its own mkwinsyscall-style zsyscall_windows.go, as
// go-winio, hcsshim or an agent does: the wrappers become sources and
// releasers through their summaries, from the native rules of
// rules_win32.yaml and rules_win32_overlay.yaml.
package win32api

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// ---- crypt32: stores and certificate contexts (x/sys's rules, carried
// over to the procedures) ----

func storeLeak() error {
	store, err := certOpenStore(windows.CERT_STORE_PROV_MEMORY, 0, 0, 0, 0) // want `cert-store from win32api.certOpenStore \(crypt32.dll!CertOpenStore\) is not closed on every path`
	if err != nil {
		return err
	}
	_ = store
	return nil
}

func storeClosed() error {
	store, err := certOpenStore(windows.CERT_STORE_PROV_MEMORY, 0, 0, 0, 0)
	if err != nil {
		return err
	}
	defer certCloseStore(store, 0)
	return nil
}

// Each context found is passed back as prev, which frees it; the last
// call fails and returns nil. The wrappers, whose prev is a
// *windows.CertContext, are summarized as its releasers (their facts in
// zsyscall_windows.go), so ctx is followed, not handed on: no report.
func findAll(store windows.Handle, subject *uint16) int {
	n := 0
	var ctx *windows.CertContext
	for {
		next, err := certFindCertificateInStore(store, windows.X509_ASN_ENCODING, 0, windows.CERT_FIND_SUBJECT_STR, unsafe.Pointer(subject), ctx)
		if err != nil {
			return n
		}
		ctx = next
		n++
	}
}

func enumAll(store windows.Handle) int {
	n := 0
	var ctx *windows.CertContext
	for {
		next, err := certEnumCertificatesInStore(store, ctx)
		if err != nil {
			return n
		}
		ctx = next
		n++
	}
}

// A context passed back as prev is freed by the call, even when it fails:
// freeing it again is a double release.
func findFreedTwice(store windows.Handle, subject *uint16) error {
	ctx, err := certFindCertificateInStore(store, windows.X509_ASN_ENCODING, 0, windows.CERT_FIND_SUBJECT_STR, unsafe.Pointer(subject), nil)
	if err != nil {
		return err
	}
	next, err := certFindCertificateInStore(store, windows.X509_ASN_ENCODING, 0, windows.CERT_FIND_SUBJECT_STR, unsafe.Pointer(subject), ctx)
	certFreeCertificateContext(ctx) // want `double release: win32api.certFreeCertificateContext releases the cert-context from win32api.certFindCertificateInStore`
	if err != nil {
		return err
	}
	return certFreeCertificateContext(next)
}

// Searching again from the start (prev nil) drops the first match.
func enumRestartLeak(store windows.Handle) error {
	first, err := certEnumCertificatesInStore(store, nil) // want `cert-context from win32api.certEnumCertificatesInStore \(crypt32.dll!CertEnumCertificatesInStore\) is not closed on every path`
	if err != nil {
		return err
	}
	again, err := certEnumCertificatesInStore(store, nil)
	if err != nil {
		return err
	}
	_ = first.EncodingType
	return certFreeCertificateContext(again)
}

// The first match is kept and never freed.
func findFirstLeak(store windows.Handle, subject *uint16) (string, error) {
	ctx, err := certFindCertificateInStore(store, windows.X509_ASN_ENCODING, 0, windows.CERT_FIND_SUBJECT_STR, unsafe.Pointer(subject), nil) // want `cert-context from win32api.certFindCertificateInStore \(crypt32.dll!CertFindCertificateInStore\) is not closed on every path`
	if err != nil {
		return "", err
	}
	return windows.UTF16PtrToString(subject) + string(rune(ctx.EncodingType)), nil
}

func findFirstFreed(store windows.Handle, subject *uint16) (uint32, error) {
	ctx, err := certFindCertificateInStore(store, windows.X509_ASN_ENCODING, 0, windows.CERT_FIND_SUBJECT_STR, unsafe.Pointer(subject), nil)
	if err != nil {
		return 0, err
	}
	defer certFreeCertificateContext(ctx)
	return ctx.EncodingType, nil
}

func duplicateLeak(ctx *windows.CertContext) uint32 {
	dup := certDuplicateCertificateContext(ctx) // want `cert-context from win32api.certDuplicateCertificateContext \(crypt32.dll!CertDuplicateCertificateContext\) is not closed on every path`
	return dup.EncodingType
}

// ---- NCrypt and BCrypt ----

func ncryptKeyLeak(name *uint16) error {
	var prov uintptr
	if err := ncryptOpenStorageProvider(&prov, nil, 0); err != nil {
		return err
	}
	defer ncryptFreeObject(prov)
	var key uintptr
	if err := ncryptOpenKey(prov, &key, name, 0, 0); err != nil { // want `ncrypt-object from win32api.ncryptOpenKey \(ncrypt.dll!NCryptOpenKey\) is not closed on every path`
		return err
	}
	return nil
}

func ncryptKeyFreed(name *uint16) error {
	var prov uintptr
	if err := ncryptOpenStorageProvider(&prov, nil, 0); err != nil {
		return err
	}
	defer ncryptFreeObject(prov)
	var key uintptr
	if err := ncryptOpenKey(prov, &key, name, 0, 0); err != nil {
		return err
	}
	return ncryptFreeObject(key)
}

func bcryptKey(alg *uint16, secret []byte) error {
	var h uintptr
	if err := bcryptOpenAlgorithmProvider(&h, alg, nil, 0); err != nil { // want `bcrypt-alg-handle from win32api.bcryptOpenAlgorithmProvider \(bcrypt.dll!BCryptOpenAlgorithmProvider\) is not closed on every path`
		return err
	}
	if len(secret) == 0 {
		return windows.ERROR_INVALID_PARAMETER // leaks h
	}
	var key uintptr
	if err := bcryptGenerateSymmetricKey(h, &key, nil, 0, &secret[0], uint32(len(secret)), 0); err != nil {
		bcryptCloseAlgorithmProvider(h, 0)
		return err
	}
	bcryptDestroyKey(key)
	return bcryptCloseAlgorithmProvider(h, 0)
}

// The key is destroyed with the algorithm provider's releaser.
func bcryptWrongReleaser(h uintptr, secret []byte) error {
	var key uintptr
	if err := bcryptGenerateSymmetricKey(h, &key, nil, 0, &secret[0], uint32(len(secret)), 0); err != nil {
		return err
	}
	return bcryptCloseAlgorithmProvider(key, 0) // want `wrong releaser: win32api.bcryptCloseAlgorithmProvider does not release a bcrypt-key-handle from win32api.bcryptGenerateSymmetricKey`
}

// ---- PSS snapshots ----

func snapshotLeak(process windows.Handle) error {
	var snap windows.Handle
	if err := pssCaptureSnapshot(process, 1, 0, &snap); err != nil { // want `hpss from win32api.pssCaptureSnapshot \(kernel32.dll!PssCaptureSnapshot\) is not closed on every path`
		return err
	}
	return nil
}

func snapshotFreed(process windows.Handle) error {
	var snap windows.Handle
	if err := pssCaptureSnapshot(process, 1, 0, &snap); err != nil {
		return err
	}
	return pssFreeSnapshot(process, snap)
}

// CloseHandle does not free a snapshot.
func snapshotWrongReleaser(process windows.Handle) error {
	var snap windows.Handle
	if err := pssCaptureSnapshot(process, 1, 0, &snap); err != nil {
		return err
	}
	return windows.CloseHandle(snap) // want `wrong releaser: windows.CloseHandle does not release a hpss from win32api.pssCaptureSnapshot`
}

// ---- LSA ----

func lsaLeak() error {
	var lsa windows.Handle
	if err := lsaConnectUntrusted(&lsa); err != nil { // want `lsa-connection from win32api.lsaConnectUntrusted \(secur32.dll!LsaConnectUntrusted\) is not closed on every path`
		return err
	}
	return nil
}

// The connection is deregistered; the token LsaLogonUser writes is closed,
// but its profile buffer is never freed.
func lsaLogon(name unsafe.Pointer, info unsafe.Pointer, n uint32, source unsafe.Pointer) (windows.LUID, error) {
	var lsa windows.Handle
	var mode uint32
	if err := lsaRegisterLogonProcess(name, &lsa, &mode); err != nil {
		return windows.LUID{}, err
	}
	defer lsaDeregisterLogonProcess(lsa)
	var profile uintptr
	var profileLen uint32
	var luid windows.LUID
	var tok windows.Token
	var sub windows.NTStatus
	if err := lsaLogonUser(lsa, name, 2, 0, info, n, nil, source, &profile, &profileLen, &luid, &tok, nil, &sub); err != nil { // want `lsa-buffer from win32api.lsaLogonUser \(secur32.dll!LsaLogonUser\) is not closed on every path`
		return windows.LUID{}, err
	}
	tok.Close()
	return luid, nil
}

// The token is leaked; the profile buffer is freed.
func lsaLogonTokenLeak(lsa windows.Handle, name unsafe.Pointer, info unsafe.Pointer, n uint32, source unsafe.Pointer) error {
	var profile uintptr
	var profileLen uint32
	var luid windows.LUID
	var tok windows.Token
	var sub windows.NTStatus
	if err := lsaLogonUser(lsa, name, 2, 0, info, n, nil, source, &profile, &profileLen, &luid, &tok, nil, &sub); err != nil { // want `token from win32api.lsaLogonUser \(secur32.dll!LsaLogonUser\) is not closed on every path`
		return err
	}
	return lsaFreeReturnBuffer(profile)
}

func policyLeak() error {
	var attrs [64]byte
	var policy uintptr
	if err := lsaOpenPolicy(nil, unsafe.Pointer(&attrs), 1, &policy); err != nil { // want `lsa-handle from win32api.lsaOpenPolicy \(advapi32.dll!LsaOpenPolicy\) is not closed on every path`
		return err
	}
	return nil
}

func policyClosed() error {
	var attrs [64]byte
	var policy uintptr
	if err := lsaOpenPolicy(nil, unsafe.Pointer(&attrs), 1, &policy); err != nil {
		return err
	}
	return lsaClose(policy)
}

// ---- WTS servers ----

func wtsLeak(name *uint16) error {
	srv, err := wtsOpenServer(name) // want `wts-server from win32api.wtsOpenServer \(wtsapi32.dll!WTSOpenServerW\) is not closed on every path`
	if err != nil {
		return err
	}
	_ = srv
	return nil
}

func wtsClosed(name *uint16) error {
	srv, err := wtsOpenServer(name)
	if err != nil {
		return err
	}
	wtsCloseServer(srv)
	return nil
}

// The metadata says HANDLE (CloseHandle); the overlay says WTSCloseServer.
func wtsWrongReleaser(name *uint16) error {
	srv, err := wtsOpenServer(name)
	if err != nil {
		return err
	}
	return windows.CloseHandle(srv) // want `wrong releaser: windows.CloseHandle does not release a wts-server from win32api.wtsOpenServer`
}

// ---- SetupDi device-information sets ----

func devicesLeak(guid *windows.GUID) error {
	set, err := setupDiGetClassDevs(guid, nil, 0, 2) // want `device-info-set from win32api.setupDiGetClassDevs \(setupapi.dll!SetupDiGetClassDevsW\) is not closed on every path`
	if err != nil {
		return err
	}
	_ = set
	return nil
}

func devicesDestroyed(guid *windows.GUID) error {
	set, err := setupDiGetClassDevs(guid, nil, 0, 2)
	if err != nil {
		return err
	}
	return setupDiDestroyDeviceInfoList(set)
}

// ---- Window stations and desktops ----

func desktopLeak(winstaName, deskName *uint16) error {
	ws, err := openWindowStation(winstaName, false, 0x37f)
	if err != nil {
		return err
	}
	defer closeWindowStation(ws)
	desk, err := openDesktop(deskName, 0, false, 0x1ff) // want `hdesk from win32api.openDesktop \(user32.dll!OpenDesktopW\) is not closed on every path`
	if err != nil {
		return err
	}
	_ = desk
	return nil
}

func desktopClosed(deskName *uint16) error {
	desk, err := openDesktop(deskName, 0, false, 0x1ff)
	if err != nil {
		return err
	}
	return closeDesktop(desk)
}

func threadDesktopClosed() error {
	desk, err := getThreadDesktop(windows.GetCurrentThreadId())
	if err != nil {
		return err
	}
	return closeDesktop(desk) // want `win32api.closeDesktop closes a borrowed handle from win32api.getThreadDesktop \(user32.dll!GetThreadDesktop\) \(the thread's desktop the caller must not close\)`
}

// ---- WinHTTP ----

func winhttpLeak(agent, server *uint16) error {
	session, err := winHttpOpen(agent, 0, nil, nil, 0)
	if err != nil {
		return err
	}
	defer winHttpCloseHandle(session)
	conn, err := winHttpConnect(session, server, 443, 0) // want `hinternet-winhttp from win32api.winHttpConnect \(winhttp.dll!WinHttpConnect\) is not closed on every path`
	if err != nil {
		return err
	}
	_ = conn
	return nil
}

func winhttpClosed(agent, server *uint16) error {
	session, err := winHttpOpen(agent, 0, nil, nil, 0)
	if err != nil {
		return err
	}
	defer winHttpCloseHandle(session)
	conn, err := winHttpConnect(session, server, 443, 0)
	if err != nil {
		return err
	}
	return winHttpCloseHandle(conn)
}

// ---- Heaps ----

func heapLeak() error {
	heap, err := heapCreate(0, 0, 0) // want `heap from win32api.heapCreate \(kernel32.dll!HeapCreate\) is not closed on every path`
	if err != nil {
		return err
	}
	_ = heap
	return nil
}

func heapDestroyed() error {
	heap, err := heapCreate(0, 0, 0)
	if err != nil {
		return err
	}
	return heapDestroy(heap)
}

func processHeapDestroyed() error {
	heap, err := getProcessHeap()
	if err != nil {
		return err
	}
	return heapDestroy(heap) // want `win32api.heapDestroy closes a borrowed handle from win32api.getProcessHeap \(kernel32.dll!GetProcessHeap\) \(the process heap the caller must not destroy\)`
}

// ---- x/sys's procedures through a third-party wrapper ----

func fileLeak(name *uint16) error {
	h, err := createFile(name, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0) // want `handle from win32api.createFile \(kernel32.dll!CreateFileW\) is not closed on every path`
	if err != nil {
		return err
	}
	_ = h
	return nil
}

func fileClosed(name *uint16) error {
	h, err := createFile(name, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return err
	}
	return closeHandle(h)
}

func keyWrongReleaser(sub *uint16) error {
	var k windows.Handle
	if err := regOpenKeyEx(windows.HKEY_LOCAL_MACHINE, sub, 0, windows.KEY_READ, &k); err != nil {
		return err
	}
	return closeHandle(k) // want `wrong releaser: win32api.closeHandle does not release a regkey from win32api.regOpenKeyEx`
}

// A wrapper that returns the procedure's NTSTATUS as an integer (as
// hcsshim's winapi.NtCreateFile does): the handle is owned only where the
// status is 0.
func ntOpen(oa *windows.OBJECT_ATTRIBUTES) (windows.Handle, error) { // want ntOpen:"owned handle r0"
	var h windows.Handle
	var iosb windows.IO_STATUS_BLOCK
	status := ntCreateFile(&h, windows.GENERIC_READ, oa, &iosb, nil, 0, 0, windows.FILE_OPEN, 0, 0, 0)
	if status != 0 {
		return 0, windows.NTStatus(status) // no handle: not a leak
	}
	return h, nil
}

func ntOpenLeak(oa *windows.OBJECT_ATTRIBUTES) error {
	var h windows.Handle
	var iosb windows.IO_STATUS_BLOCK
	status := ntCreateFile(&h, windows.GENERIC_READ, oa, &iosb, nil, 0, 0, windows.FILE_OPEN, 0, 0, 0) // want `handle from win32api.ntCreateFile \(ntdll.dll!NtCreateFile\) is not closed on every path`
	if status != 0 {
		return windows.NTStatus(status)
	}
	return nil
}

// ntStatus is go-winio's NTSTATUS type (pipe.go): its Err method is nil
// for a status that is not negative, an error otherwise.
type ntStatus int32

func (status ntStatus) Err() error {
	if status >= 0 {
		return nil
	}
	return windows.NTStatus(uint32(status))
}

// Warn is the converse, nil for a failed status: its error says nothing
// of a handle.
func (status ntStatus) Warn() error {
	if status < 0 {
		return nil
	}
	return windows.NTStatus(uint32(status))
}

// ntCreate returns the procedure's status as an ntStatus, as go-winio's
// zsyscall_windows.go does for ntCreateNamedPipeFile.
func ntCreate(h *windows.Handle, oa *windows.OBJECT_ATTRIBUTES, iosb *windows.IO_STATUS_BLOCK) ntStatus { // want ntCreate:"owned handle out0 if r0 == 0"
	return ntStatus(ntCreateFile(h, windows.GENERIC_READ, oa, iosb, nil, 0, 0, windows.FILE_OPEN, 0, 0, 0))
}

// pipeHandle is go-winio v0.6.4's makeServerPipeHandle (pipe.go:395): the
// status is tested through its Err method, non-nil only for a failed
// status, so no handle is held where it is not nil.
func pipeHandle(oa *windows.OBJECT_ATTRIBUTES) (windows.Handle, error) { // want pipeHandle:"owned handle r0"
	var (
		h    windows.Handle
		iosb windows.IO_STATUS_BLOCK
	)
	err := ntCreate(&h, oa, &iosb).Err()
	if err != nil {
		return 0, err
	}
	return h, nil
}

// pipeHandleWarn is the neighbour that stays reported: Warn's error is
// nil for a failed status, and non-nil for some successful ones.
func pipeHandleWarn(oa *windows.OBJECT_ATTRIBUTES) (windows.Handle, error) { // want pipeHandleWarn:"owned handle r0"
	var (
		h    windows.Handle
		iosb windows.IO_STATUS_BLOCK
	)
	err := ntCreate(&h, oa, &iosb).Warn() // want `handle from win32api.ntCreate \(ntdll.dll!NtCreateFile\) is not closed on every path`
	if err != nil {
		return 0, err
	}
	return h, nil
}

// ---- Security descriptors from strings (the overlay: LocalFree) ----

func sdLeak(sddl *uint16) (uint32, error) {
	var sd *windows.SECURITY_DESCRIPTOR
	var n uint32
	if err := convertStringSecurityDescriptorToSecurityDescriptor(sddl, 1, &sd, &n); err != nil { // want `local-memory from win32api.convertStringSecurityDescriptorToSecurityDescriptor \(advapi32.dll!ConvertStringSecurityDescriptorToSecurityDescriptorW\) is not closed on every path`
		return 0, err
	}
	return n, nil
}

func sdFreed(sddl *uint16) (uint32, error) {
	var sd *windows.SECURITY_DESCRIPTOR
	var n uint32
	if err := convertStringSecurityDescriptorToSecurityDescriptor(sddl, 1, &sd, &n); err != nil {
		return 0, err
	}
	windows.LocalFree(windows.Handle(unsafe.Pointer(sd)))
	return n, nil
}
