// Command purrd is the brain of a robot cat: `purrd run` is the daemon
// systemd starts; the other subcommands help a maker set it up.
//
// main only parses the command line and maps errors to exit codes; the work
// is in package daemon, so that tests can run it in-process.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/purrd/purrd/daemon"
)

// Set by the Makefile with -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "dev"
	commit  = "unknown"
)

func main() {
	// SIGTERM/SIGINT cancel the context; SIGHUP is handled inside Run
	// (reload), so it is not part of this context.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	err := daemon.Main(ctx, daemon.Invocation{
		Args:    os.Args[1:],
		Version: version,
		Commit:  commit,
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
	})
	if err == nil {
		return
	}
	var ex *daemon.ExitError
	if errors.As(err, &ex) {
		if r := ex.Report(); r != "" {
			fmt.Fprintln(os.Stderr, r)
		}
		os.Exit(ex.Code)
	}
	fmt.Fprintln(os.Stderr, "purrd:", err)
	os.Exit(1)
}
