package daemon

// sendLatest puts v in a one-slot mailbox without blocking, replacing a
// value nobody has taken yet: the body and the state saver only ever need
// the newest reaction or snapshot, never a backlog of stale ones.
func sendLatest[T any](box chan T, v T) {
	for {
		select {
		case box <- v:
			return
		default:
		}
		select {
		case <-box:
		default:
		}
	}
}
