package main

// extraTypes are handle types whose close function autoTypes.json does not
// name (the metadata declares them as plain pointers or integers). Each is
// cited from the Microsoft Learn page of the function that releases it.
// They take part in extraction like autoTypes.json's, so every function of
// the headers that returns one, or writes one through an _Out_ parameter,
// gets a rule.
var extraTypes = []handleType{
	// MS CertCloseStore: "There needs to be a corresponding call to
	// CertCloseStore for each successful call to the CertOpenStore or
	// CertDuplicateStore functions."
	{name: "HCERTSTORE", close: "CertCloseStore", origin: "overlay"},
	// MS CertFreeCertificateContext: "Frees a certificate context by
	// decrementing its reference count. When the reference count goes to
	// zero, CertFreeCertificateContext frees the memory used by a
	// certificate context."
	{name: "PCCERT_CONTEXT", close: "CertFreeCertificateContext", origin: "overlay"},
	// MS CertFreeCertificateChain: "frees a certificate chain by reducing
	// its reference count" (paraphrase).
	{name: "PCCERT_CHAIN_CONTEXT", close: "CertFreeCertificateChain", origin: "overlay"},
	// MS CertFreeCRLContext: "frees a certificate revocation list (CRL)
	// context by decrementing its reference count" (paraphrase).
	{name: "PCCRL_CONTEXT", close: "CertFreeCRLContext", origin: "overlay"},
	// MS CertFreeCTLContext: "frees a certificate trust list (CTL) context"
	// (paraphrase).
	{name: "PCCTL_CONTEXT", close: "CertFreeCTLContext", origin: "overlay"},
	// MS CryptMsgClose: "The CryptMsgClose function closes a cryptographic
	// message handle."
	{name: "HCRYPTMSG", close: "CryptMsgClose", origin: "overlay"},
	// MS CryptAcquireContext: "When you have finished using the CSP,
	// release the handle by calling the CryptReleaseContext function."
	{name: "HCRYPTPROV", close: "CryptReleaseContext", origin: "overlay"},
	// MS CryptGenKey: "When you have finished using the key, release the
	// handle to the key by calling the CryptDestroyKey function."
	{name: "HCRYPTKEY", close: "CryptDestroyKey", origin: "overlay"},
	// MS CryptCreateHash: "When you have finished using the hash object,
	// release the handle by calling the CryptDestroyHash function."
	{name: "HCRYPTHASH", close: "CryptDestroyHash", origin: "overlay"},
	// MS WinHttpCloseHandle: "The WinHttpCloseHandle function closes a
	// single HINTERNET handle." MS InternetCloseHandle: "Closes a single
	// Internet handle." HINTERNET is one type for both DLLs, each with its
	// own close function.
	{name: "HINTERNET", origin: "overlay", byDLL: map[string]string{"winhttp.dll": "WinHttpCloseHandle", "wininet.dll": "InternetCloseHandle"}},
	// MS PssCaptureSnapshot (SnapshotHandle): "When you are done with the
	// snapshot, call PssFreeSnapshot to free it" (paraphrase).
	{name: "HPSS", close: "PssFreeSnapshot", origin: "overlay"},
}
