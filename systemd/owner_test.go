package systemd

import (
	"os"
	"strconv"
	"syscall"
)

// owner returns a file's numeric uid and gid as strings, as /etc/passwd has them.
func owner(fi os.FileInfo) (uid, gid string) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "?", "?"
	}
	return strconv.FormatUint(uint64(st.Uid), 10), strconv.FormatUint(uint64(st.Gid), 10)
}
