package main

// exclude lists procedures the metadata gives a closable handle type that
// they do not hand out to the caller to release with that type's close
// function, with the reason; found by reading the generated list of every
// HANDLE, HGDIOBJ-family, HICON, HMODULE and HGLOBAL return against the
// functions' documentation. (A wrong release function that handlecheck
// must know, such as WTSOpenServer's WTSCloseServer, is corrected in
// rules_win32_overlay.yaml instead, where it is cited and tested.)
//
// A second pass (after set G's first contact, whose four false alarms
// came from ImmAssociateContext, typed as returning an owned HIMC) read
// every generated rule whose name or type suggests a previous value, a
// borrowed or associated object, or a get/release pair (Associate, Set*,
// Select*, Get*, Activate, Query*Next, Enum*, and the handle types the
// first pass did not cover: HIMC, HKL, HCOLORSPACE, HTHEME, HGLRC,
// HIMAGELIST, HCONV, HDDEDATA, HACCEL) against its Microsoft page: of 31
// procedures checked, 22 are excluded below (the entries from
// imm32.dll!ImmAssociateContext on, each with the page's words in its
// comment), 5 get the right releaser in the overlay (ImmGetContext,
// GetCurrentActCtx, AvRtJoinThreadOrderingGroup, GetModuleHandleExA,
// WdsCliGetImageHandleFromFindHandle), and 4 are right as generated
// (ImmCreateContext, ImageList_GetIcon, GetProcessHandleFromHwnd, and
// NotifyRouteChange, whose page does not say).
var exclude = map[string]string{
	"kernel32.dll!GetProcessHeaps":                                   "writes an array of borrowed heaps: a native rule has no index (GetProcessHeap is borrowed in the overlay)",
	"kernel32.dll!GetCurrentThread":                                  why0,
	"user32.dll!GetPropA":                                            why0,
	"user32.dll!GetPropW":                                            why0,
	"user32.dll!RemovePropA":                                         why0,
	"user32.dll!RemovePropW":                                         why0,
	"user32.dll!SetClipboardData":                                    why0,
	"user32.dll!MonitorFromPoint":                                    why0,
	"user32.dll!MonitorFromRect":                                     why0,
	"user32.dll!MonitorFromWindow":                                   why0,
	"kernel32.dll!GetConsoleInputWaitHandle":                         why0,
	"cldapi.dll!CfGetWin32HandleFromProtectedHandle":                 why0,
	"vmsavedstatedumpprovider.dll!GetSavedStateSymbolProviderHandle": why0,
	"gdi32.dll!BRUSHOBJ_hGetColorTransform":                          why0,
	"gdi32.dll!XLATEOBJ_hGetColorTransform":                          why0,
	"gdi32.dll!GdiGetPageHandle":                                     why0,
	"gdi32.dll!GdiGetSpoolFileHandle":                                why0,
	"winspool.drv!GetSpoolFileHandle":                                why0,
	"winspool.drv!CommitSpoolData":                                   why0,
	"spoolss.dll!RevertToPrinterSelf":                                why0,
	"kernel32.dll!GlobalHandle":                                      why0,
	"kernel32.dll!LocalHandle":                                       why0,
	"gdi32.dll!GetCurrentObject":                                     why0,
	"user32.dll!GetCursor":                                           why0,
	"user32.dll!GetMenu":                                             why0,
	"gdi32.dll!GetStockObject":                                       why0,
	"user32.dll!GetSubMenu":                                          why0,
	"user32.dll!GetSysColorBrush":                                    why0,
	"user32.dll!GetSystemMenu":                                       why0,
	"uxtheme.dll!GetThemeSysColorBrush":                              why0,
	"gdi32.dll!SelectObject":                                         why0,
	"gdi32.dll!SelectPalette":                                        why0,
	"user32.dll!SetCursor":                                           why0,
	"kernel32.dll!ConsoleMenuControl":                                why0,
	"winmm.dll!DrvGetModuleHandle":                                   why0,
	"winmm.dll!GetDriverModuleHandle":                                why0,
	"msvfw32.dll!DrawDibGetPalette":                                  why0,
	"user32.dll!LoadIconA":                                           why0,
	"user32.dll!LoadIconW":                                           why0,
	"kernel32.dll!GlobalFree":                                        why1,
	"kernel32.dll!LocalFree":                                         why1,
	"kernel32.dll!GlobalReAlloc":                                     why2,
	"kernel32.dll!LocalReAlloc":                                      why2,
	"user32.dll!DeferWindowPos":                                      why2,
	"gdi32.dll!AddFontMemResourceEx":                                 why3,
	"msajapi.dll!AllJoynConnectToBus":                                why3,
	"msajapi.dll!AllJoynCreateBus":                                   why3,
	"uxtheme.dll!BeginBufferedAnimation":                             why3,
	"uxtheme.dll!BeginBufferedPaint":                                 why3,
	"user32.dll!BeginDeferWindowPos":                                 why3,
	"icm32.dll!CMCreateMultiProfileTransform":                        why3,
	"icm32.dll!CMCreateTransform":                                    why3,
	"icm32.dll!CMCreateTransformExt":                                 why3,
	"icm32.dll!CMCreateTransformExtW":                                why3,
	"icm32.dll!CMCreateTransformW":                                   why3,
	"winspool.drv!ConnectToPrinterDlg":                               why3,
	"user32.dll!CopyImage":                                           why3,
	"mscms.dll!CreateColorTransformA":                                why3,
	"mscms.dll!CreateColorTransformW":                                why3,
	"mscms.dll!CreateMultiProfileTransform":                          why3,
	"winspool.drv!CreatePrinterIC":                                   why3,
	"kernel32.dll!CreateTimerQueue":                                  why3,
	"kernel32.dll!SetTimerQueueTimer":                                why3,
	"wintrust.dll!CryptCATAdminAddCatalog":                           why3,
	"wintrust.dll!CryptCATAdminEnumCatalogFromHash":                  why3,
	"wintrust.dll!CryptCATHandleFromStore":                           why3,
	"wintrust.dll!CryptCATOpen":                                      why3,
	"msvfw32.dll!DrawDibOpen":                                        why3,
	"wecapi.dll!EcOpenSubscription":                                  why3,
	"wecapi.dll!EcOpenSubscriptionEnum":                              why3,
	"gdi32.dll!EngLoadModule":                                        why3,
	"userenv.dll!EnterCriticalPolicySection":                         why3,
	"wininet.dll!FindFirstUrlCacheContainerA":                        why3,
	"wininet.dll!FindFirstUrlCacheContainerW":                        why3,
	"wininet.dll!FindFirstUrlCacheEntryA":                            why3,
	"wininet.dll!FindFirstUrlCacheEntryExA":                          why3,
	"wininet.dll!FindFirstUrlCacheEntryExW":                          why3,
	"wininet.dll!FindFirstUrlCacheEntryW":                            why3,
	"wininet.dll!FindFirstUrlCacheGroup":                             why3,
	"msvfw32.dll!ICImageCompress":                                    why3,
	"msvfw32.dll!ICImageDecompress":                                  why3,
	"ieframe.dll!IEFindFirstFile":                                    why3,
	"user32.dll!LoadImageA":                                          why3,
	"user32.dll!LoadImageW":                                          why3,
	"ole32.dll!OleDuplicateData":                                     why3,
	"mscms.dll!OpenColorProfileA":                                    why3,
	"mscms.dll!OpenColorProfileW":                                    why3,
	"shell32.dll!PifMgr_CloseProperties":                             why3,
	"shell32.dll!PifMgr_OpenProperties":                              why3,
	"wininet.dll!RetrieveUrlCacheEntryStreamA":                       why3,
	"wininet.dll!RetrieveUrlCacheEntryStreamW":                       why3,
	"rtutils.dll!RouterLogRegisterA":                                 why3,
	"rtutils.dll!RouterLogRegisterW":                                 why3,
	"winscard.dll!SCardAccessStartedEvent":                           why3,
	"shlwapi.dll!SHAllocShared":                                      why3,
	"odbcbcp.dll!SQLInitEnumServers":                                 why3,
	"mscms.dll!WcsCreateIccProfile":                                  why3,
	"mscms.dll!WcsOpenColorProfileA":                                 why3,
	"mscms.dll!WcsOpenColorProfileW":                                 why3,
	"ws2_32.dll!WSAAsyncGetHostByAddr":                               why4,
	"ws2_32.dll!WSAAsyncGetHostByName":                               why4,
	"ws2_32.dll!WSAAsyncGetProtoByName":                              why4,
	"ws2_32.dll!WSAAsyncGetProtoByNumber":                            why4,
	"ws2_32.dll!WSAAsyncGetServByName":                               why4,
	"ws2_32.dll!WSAAsyncGetServByPort":                               why4,

	// MS ImmAssociateContext: "Returns the handle to the input context
	// previously associated with the window." (by default the system's
	// default input context).
	"imm32.dll!ImmAssociateContext": why5,
	// MS ActivateKeyboardLayout: "If the function succeeds, the return
	// value is the previous input locale identifier."
	"user32.dll!ActivateKeyboardLayout": why5,
	// MS SetColorSpace: "If this function succeeds, the return value is a
	// handle to the hColorSpace being replaced."
	"gdi32.dll!SetColorSpace": why5,
	// MS SetStdHandleEx (phPrevValue): "Optional. Receives the previous
	// handle."
	"kernel32.dll!SetStdHandleEx": why5,
	// MS GetKeyboardLayout: "The return value is the input locale
	// identifier for the thread."
	"user32.dll!GetKeyboardLayout": why0,
	// MS IActiveIMMIME::GetHotKey, which "maps to the ImmGetHotKey
	// function" (phKL): "The address of the handle to the keyboard layout
	// for the Active IME." A retrieved layout, not a loaded one.
	"imm32.dll!ImmGetHotKey": why0,
	// MS GetColorSpace: "If the function succeeds, the return value is the
	// current input color space handle." (of the device context)
	"gdi32.dll!GetColorSpace": why0,
	// MS GetWindowTheme: "The most recent theme handle from
	// OpenThemeData." (whose caller closes it)
	"uxtheme.dll!GetWindowTheme": why0,
	// MS wglGetCurrentContext: "If the calling thread has a current OpenGL
	// rendering context, wglGetCurrentContext returns a handle to that
	// rendering context."
	"opengl32.dll!wglGetCurrentContext": why0,
	// MS Shell_GetImageLists: "The image lists retrieved through this
	// function are global system image lists; do not call
	// ImageList_Destroy using them."
	"shell32.dll!Shell_GetImageLists": why0,
	// MS ImageList_GetDragImage: "The temporary image list is destroyed
	// when the ImageList_EndDrag function is called."
	"comctl32.dll!ImageList_GetDragImage": why0,
	// MS DdeQueryNextServer: "the return value is the next conversation
	// handle in the list" (which DdeConnectList made and
	// DdeDisconnectList ends).
	"user32.dll!DdeQueryNextServer": why0,
	// MS EnumProcessModules: "Do not call CloseHandle on any of the
	// handles returned by this function. The information comes from a
	// snapshot, so there are no resources to be freed." (EnumProcessModulesEx
	// the same.)
	"psapi.dll!EnumProcessModules":   why0,
	"psapi.dll!EnumProcessModulesEx": why0,
	// MS NotifyAddrChange (Handle): "Do not close this handle, and do not
	// associate it with a completion port."
	"iphlpapi.dll!NotifyAddrChange": why0,
	// MS MprAdminInterfaceGetHandle: "The MprAdminInterfaceGetHandle
	// function retrieves a handle to a specified interface." MS
	// MprConfigInterfaceGetHandle: "The MprConfigInterfaceGetHandle
	// function retrieves a handle to the specified interface's
	// configuration in the specified router configuration." Handles into
	// the router's tables, which neither page says to close (and not with
	// CloseHandle).
	"mprapi.dll!MprAdminInterfaceGetHandle":  why0,
	"mprapi.dll!MprConfigInterfaceGetHandle": why0,
	// MS LoadAccelerators: "If the accelerator table has not yet been
	// loaded, the function loads it from the specified executable file.
	// Accelerator tables loaded from resources are freed automatically
	// when the application terminates." (DestroyAcceleratorTable is for
	// CreateAcceleratorTable's.)
	"user32.dll!LoadAcceleratorsA": why7,
	"user32.dll!LoadAcceleratorsW": why7,
	// MS DdeNameService (paraphrase): a nonzero return on success is not
	// a true HDDEDATA value, only a Boolean indicator of success.
	"user32.dll!DdeNameService": why6,
	// MS FindExecutable: "Returns a value greater than 32 if successful,
	// or a value less than or equal to 32 representing an error."
	"shell32.dll!FindExecutableA": why6,
	"shell32.dll!FindExecutableW": why6,

	// MS FwpmFilterUnsubscribeChanges0 and the other WFP unsubscribe pages:
	// "It is not necessary to unsubscribe before closing a session; all
	// subscriptions are automatically canceled when the subscribing session
	// terminates." A subscription is its engine session's (FwpmEngineOpen0,
	// released by FwpmEngineClose0); unsubscribing is optional. (The third
	// pass below gave these 14 its fwp-subscription releasers; the quoted
	// remark, read after it, moved them here.)
	"fwpuclnt.dll!FwpmCalloutSubscribeChanges0":         why9,
	"fwpuclnt.dll!FwpmConnectionSubscribe0":             why9,
	"fwpuclnt.dll!FwpmFilterSubscribeChanges0":          why9,
	"fwpuclnt.dll!FwpmNetEventSubscribe0":               why9,
	"fwpuclnt.dll!FwpmNetEventSubscribe1":               why9,
	"fwpuclnt.dll!FwpmNetEventSubscribe2":               why9,
	"fwpuclnt.dll!FwpmNetEventSubscribe3":               why9,
	"fwpuclnt.dll!FwpmNetEventSubscribe4":               why9,
	"fwpuclnt.dll!FwpmProviderContextSubscribeChanges0": why9,
	"fwpuclnt.dll!FwpmProviderSubscribeChanges0":        why9,
	"fwpuclnt.dll!FwpmSubLayerSubscribeChanges0":        why9,
	"fwpuclnt.dll!FwpmSystemPortsSubscribe0":            why9,
	"fwpuclnt.dll!FwpmvSwitchEventSubscribe0":           why9,
	"fwpuclnt.dll!IPsecSaContextSubscribe0":             why9,

	// A third pass (branch rulesG2) read every generated rule whose
	// resource is the generic handle (CloseHandle) against its page: 231
	// rules on 230 procedures. 87 procedures whose page names another
	// releaser get it in rules_win32_overlay.yaml (9 more had it already),
	// the 34 below cannot (with EvtNext and DdeAddData, of other types;
	// each comment says why), and 102 are left as generated: kernel
	// objects CloseHandle closes (files, threads, events, mutexes,
	// semaphores, timers, mailslots, jobs, sections, tokens, transactions,
	// and the like) and a few whose page does not say (GetNotifyEventHandle,
	// the WHv* and spooler ones, the undocumented console and sound ones).
	//
	// MS DsUnBind (phDS): "Pointer to a bind handle to the directory
	// service. This handle is provided by a call to DsBind, DsBindWithCred,
	// or DsBindWithSpn." DsUnBind takes a pointer to the handle, and a
	// release rule names the handle's own value: no rule can say it.
	"ntdsapi.dll!DsBindA":           why8,
	"ntdsapi.dll!DsBindW":           why8,
	"ntdsapi.dll!DsBindByInstanceA": why8,
	"ntdsapi.dll!DsBindByInstanceW": why8,
	"ntdsapi.dll!DsBindToISTGA":     why8,
	"ntdsapi.dll!DsBindToISTGW":     why8,
	"ntdsapi.dll!DsBindWithCredA":   why8,
	"ntdsapi.dll!DsBindWithCredW":   why8,
	"ntdsapi.dll!DsBindWithSpnA":    why8,
	"ntdsapi.dll!DsBindWithSpnW":    why8,
	"ntdsapi.dll!DsBindWithSpnExA":  why8,
	"ntdsapi.dll!DsBindWithSpnExW":  why8,
	// MS PdhCloseQuery: "Closes all counters contained in the specified
	// query, closes all handles related to the query, and frees all memory
	// associated with the query." A counter is its query's (PdhOpenQuery's
	// rule, released by PdhCloseQuery); PdhRemoveCounter is optional.
	"pdh.dll!PdhAddCounterA":        why9,
	"pdh.dll!PdhAddCounterW":        why9,
	"pdh.dll!PdhAddEnglishCounterA": why9,
	"pdh.dll!PdhAddEnglishCounterW": why9,
	// MS RtmGetEnumNextHops, RtmGetEnumRoutes, RtmGetListEnumRoutes,
	// RtmGetRegisteredEntities (paraphrase): each fills an array of handles,
	// which RtmReleaseNextHops, RtmReleaseRoutes and RtmReleaseEntities
	// release as an array. MS RtmAddNextHop, RtmAddRouteToDest,
	// RtmFindNextHop, RtmGetExactMatchRoute (paraphrase): the one handle
	// each writes is released the same way, through a pointer to an array
	// (RtmReleaseNextHops, RtmReleaseRoutes).
	"rtm.dll!RtmGetEnumNextHops":       why10,
	"rtm.dll!RtmGetEnumRoutes":         why10,
	"rtm.dll!RtmGetListEnumRoutes":     why10,
	"rtm.dll!RtmGetRegisteredEntities": why10,
	"rtm.dll!RtmAddNextHop":            why8,
	"rtm.dll!RtmAddRouteToDest":        why8,
	"rtm.dll!RtmFindNextHop":           why8,
	"rtm.dll!RtmGetExactMatchRoute":    why8,
	// MS EvtNext (Events): "An array that will receive the event handles."
	// The handles are EvtClose's, one by one, from an array.
	"wevtapi.dll!EvtNext": why10,
	// MS MprConfigTransportGetHandle, MprConfigInterfaceTransportGetHandle
	// (paraphrase): each retrieves a handle to a transport's configuration
	// in the router configuration; MprAdminInterfaceCreate,
	// MprConfigInterfaceCreate, MprConfigInterfaceTransportAdd and
	// MprConfigTransportCreate create the interface or transport itself and
	// write a handle to it, which MprAdminInterfaceDelete and the
	// MprConfig*Delete/Remove functions delete from the router, not close.
	// Handles into the router's tables, as MprConfigInterfaceGetHandle's
	// above.
	"mprapi.dll!MprConfigTransportGetHandle":          why0,
	"mprapi.dll!MprConfigInterfaceTransportGetHandle": why0,
	"mprapi.dll!MprAdminInterfaceCreate":              why0,
	"mprapi.dll!MprConfigInterfaceCreate":             why0,
	"mprapi.dll!MprConfigInterfaceTransportAdd":       why0,
	"mprapi.dll!MprConfigTransportCreate":             why0,
	// MS EnableRouter (pHandle): "A pointer to a handle. This parameter is
	// currently unused." (and it succeeds with ERROR_IO_PENDING, not zero);
	// MS DisableMediaSense (pHandle, paraphrase): used internally; the
	// application should not use the handle it points to.
	"iphlpapi.dll!EnableRouter":      why0,
	"iphlpapi.dll!DisableMediaSense": why0,
	// MS DdeAddData: "If the function succeeds, the return value is a new
	// handle to the DDE object. The new handle is used in all references
	// to the object."
	"user32.dll!DdeAddData": why2,
}

const (
	why0  = "returns a handle the caller does not own (a pseudo-handle, a window's, the system's, or one already selected or attached)"
	why1  = "returns NULL on success and the handle on failure (the metadata reads the free function's own return as a handle)"
	why2  = "returns a new handle that replaces its argument (the old one is consumed unless it fails): not described by an owned rule"
	why3  = "returns a HANDLE released by another function than CloseHandle, which the metadata does not name"
	why4  = "returns an asynchronous task handle that WSACancelAsyncRequest cancels and nothing closes"
	why5  = "returns the handle it replaces (the one previously set, associated or active), which is not the caller's to release"
	why6  = "returns a success value that the metadata types as a handle"
	why7  = "returns a handle to a module's resource, which the system frees with the module"
	why8  = "writes a handle released through a pointer to it (or to an array of them), which a release rule cannot name"
	why9  = "writes a handle owned by another one, which releases it (the caller need not)"
	why10 = "writes an array of handles: a native rule has no index"
)
