//go:build !linux

package main

// terminal reports whether fd is a terminal. Outside Linux init does not
// tell, and takes every answer from its flags.
func terminal(fd uintptr) bool { return false }
