//go:build tools

// Package eval pins the modules of handlecheck's real-world corpus: the
// blank imports below keep them (and go.sum entries for them) in go.mod
// through go mod tidy. The build tag keeps this file out of every build.
package eval

import (
	_ "github.com/handlecheck/handlecheck/analyzer"

	_ "github.com/Microsoft/go-winio"
	_ "github.com/Microsoft/hcsshim"
	_ "github.com/Microsoft/hcsshim/hcn"
	_ "github.com/alexbrainman/sspi"
	_ "github.com/alexbrainman/sspi/negotiate"
	_ "github.com/containerd/console"
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/kardianos/service"
	_ "github.com/opencontainers/runc/libcontainer"
	_ "github.com/prometheus-community/windows_exporter/pkg/collector"
	_ "github.com/shirou/gopsutil/v4/process"
	_ "github.com/shirou/gopsutil/v4/winservices"
	_ "github.com/vishvananda/netlink"
	_ "github.com/vishvananda/netns"
	_ "golang.org/x/sys/unix"
	_ "golang.org/x/sys/windows"
	_ "golang.org/x/sys/windows/registry"
	_ "golang.org/x/sys/windows/svc/mgr"
	_ "golang.zx2c4.com/wireguard/device"
	_ "golang.zx2c4.com/wireguard/tun"
	_ "golang.zx2c4.com/wireguard/windows/manager"
	_ "golang.zx2c4.com/wireguard/windows/tunnel"
)
