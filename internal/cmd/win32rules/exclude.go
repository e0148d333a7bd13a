package main

// exclude lists procedures the metadata gives a closable handle type that
// they do not hand out to the caller to release, with the reason. (A wrong
// release function, or a handle that is borrowed, is corrected in
// rules_win32_overlay.yaml instead, where it can be cited and tested.)
var exclude = map[string]string{}
