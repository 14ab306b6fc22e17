package dialog

// ForgetKey drops the fact with this key and reports whether there was one.
func (c *Conversation) ForgetKey(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.facts {
		if c.facts[i].Key == key {
			c.facts = append(c.facts[:i], c.facts[i+1:]...)
			return true
		}
	}
	return false
}
