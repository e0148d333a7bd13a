package apitest_test

import (
	"testing"

	"github.com/handlecheck/handlecheck/analyzer"
)

// TestFirstContact holds the false alarms of the first-contact runs
// (eval/fresh, EVALUATION.md "First contact"), each reduced from the real
// code to a package of testdata/src/freshN whose correct functions must
// stay quiet, next to a neighbour that must stay reported. A case the
// analyzer still gets wrong is skipped, with the reason, until its fix.
func TestFirstContact(t *testing.T) {
	for _, c := range []struct {
		goos, pkg string
		skip      string // why the case still fails, if it does
	}{
		{"linux", "./fresh1", ""},      // fixed: a deferred closure releases what its variable holds at exit (go-fuse v2.12.1 posixtest/test.go:110)
		{"linux", "./freshB1", ""},     // fixed: a closure capturing two handles carries each; sfd != rfd between two handles of the function is true (insomniacslk/dhcp dhcpv4/client4/client.go:207)
		{"linux", "./freshC1", ""},     // fixed: a loop over x that a dominating len(x) > 1 exit bounds to one iteration overwrites nothing (panjf2000/gnet/v2 v2.9.7 gnet.go:129)
		{"linux", "./freshE2", ""},     // fixed: a result that returns the handle on one path and another value (a made one, a global, a parameter) on another successful path is not owned by the caller (diskfs/go-diskfs v1.9.4 iso9660 OpenFile, 5 findings)
		{"windows", "./freshF1", ""},   // a leak of a native procedure's handle judged by its last error alone says so (opentelemetry-collector-contrib pkg/stanza operator/input/windows/api.go:103, 5 findings, verdict contract)
		{"linux", "./freshF2", ""},     // fixed: OpenFile's error through the enclosing function's err, captured (filestore.go:1716); a close guarded by a flag set with the acquisition (didOpen, filestore.go:8299) (nats-io/nats-server/v2 v2.15.3)
		{"linux", "./freshG2/...", ""}, // fixed: a constructor that hands its descriptor to a goroutine it starts (go w.readEvents()) is no source of its type, and a method only run as a goroutine is no closer (k8s.io/utils inotify NewWatcher, inotify_linux.go)
		{"windows", "./freshG1", ""},   // fixed in the rules: ImmAssociateContext returns the previous input context (excluded), ImmGetContext's is released by ImmReleaseContext (overlay) (hajimehoshi/ebiten/v2 v2.8.8 exp/textinput api_windows.go:99, 4 findings)
		{"linux", "./freshH1", ""},     // fixed: the fd a syscall.RawConn lends to its Control, Read or Write callback is borrowed (a callback rule), and os.NewFile of a borrowed handle hands out no owned File (ishidawataru/sctp sctp_linux_test.go:177)
		{"linux", "./freshH2", ""},     // fixed: a returned closure that captures the handle (a cleanup func) holds it, so the function is no source of it (opt-in net rules on set H: facebook/time cmd/ptpcheck/checker/ptp4l.go:70, ptp4l_test.go:521)
		{"windows", "./freshI1", ""},   // fixed: a closure deferred before CryptProtectData frees what out.Data holds at exit (AzureAD microsoft-authentication-extensions-for-go/cache v0.1.1 accessor/windows.go:101, 2 findings); `ret <= 0` of a uintptr result is ret == 0 (shirou/w32 kernel32.go:228)
		{"linux", "./freshK1", ""},     // fixed: a wrapper that keeps a nil error nil (github.com/pkg/errors.WithStack, Summary.NilIfNil) of the acquisition's own error is no non-nil error returned with the handle (tonistiigi/fsutil fs.go:94)
		{"linux", "./freshL1/...", ""}, // fixed: an error test of a wrapper that keeps a nil error nil (os.IsNotExist(errors.Cause(err))) tests err; a loop that steps only where a comma-ok assertion of its own value succeeded keeps nil nil (restic/restic v0.10.0 internal/backend/local/local.go:92)
		{"windows", "./freshE1", ""},   // fixed in the rules: CertDuplicateCertificateContext returns its argument (same-as), CryptAcquireContext with CRYPT_DELETEKEYSET hands out nothing (tailscale/certstore certstore_windows.go:194, :564)
		{"windows", "./freshL3", ""},   // fixed: a load of h beside a call that writes the handle through &h in the same statement is read after the call, as gc does (return uintptr(h), DuplicateHandle(..., &h, ...)) (rclone/rclone v1.76.0 vfs/vfstest/write_windows.go:21)
		{"linux", "./freshM1", ""},     // fixed: a select's send case hands on what it sends on the branch where it is chosen, a struct value with its handle fields (set M: onsi/ginkgo/v2 v2.34.0 internal/output_interceptor.go:76)
		{"linux", "./freshL2", ""},     // fixed: err set to nil with the fallback file, in a variable a deferred CheckClose takes the address of, is nil at the test after it (rclone/rclone v1.76.0 backend/local/xattr.go:119)
		{"linux", "./freshM3", ""},     // fixed: a close-once closure (if closed { return }; closed = true; f.Close()) releases the handle the first time it runs and nothing after; a call of what a variable holding one closure holds is a call of it (set M: seaweedfs/seaweedfs v0.0.0-20261109003541-7506e5f91cd6 weed/server/volume_grpc_copy.go:841)
		{"linux", "./freshL4", ""},     // fixed: a field source called again on the struct whose field holds the earlier handle (w.rotate() in a loop) gets that struct, and a callee that may read the field (rotate closes the old w.f) is handed the earlier handle (set L: minio/minio v0.0.0-20260212201848-7aac2a2c5b7c internal/logger/logrotate.go:112)
		{"linux", "./freshM2/...", ""}, // fixed: a file returned only with a format tested != NotArchive is none where the caller's f == NotArchive (set M: pulumi/pulumi/sdk/v3 v3.277.0 go/common/resource/archive/archive.go:814)
	} {
		t.Run(c.pkg, func(t *testing.T) {
			if c.skip != "" {
				t.Skip(c.skip)
			}
			run(t, c.goos, analyzer.Analyzer, c.pkg)
		})
	}
}
