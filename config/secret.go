package config

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// AdminTokenEnv is the environment variable that overrides admin_token, so
// that the secret need not sit in config.yaml (a systemd credential or an
// EnvironmentFile readable by root only can hold it instead).
const AdminTokenEnv = "NOIVU_ADMIN_TOKEN"

// Bounds on an admin token. 16 characters of a random hex or base64 string
// are 64 bits or more: beyond guessing over HTTP. The upper bound keeps the
// Authorization header well inside what servers accept.
const (
	MinAdminTokenLen = 16
	maxAdminTokenLen = 1024
)

// Secret is a string that must not reach a log: it prints as "[redacted]"
// with any fmt verb, so a Config printed whole does not give it away.
type Secret string

// String returns "[redacted]" for a set secret and "" for an empty one.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString is String, for %#v.
func (s Secret) GoString() string { return s.String() }

// Reveal returns the secret itself, for the one place that compares it.
func (s Secret) Reveal() string { return string(s) }

// checkToken says what is wrong with a token, without repeating it, or "".
func checkToken(tok string) string {
	switch {
	case len(tok) < MinAdminTokenLen:
		return fmt.Sprintf("is %d characters; use at least %d (make one with: openssl rand -hex 32)", len(tok), MinAdminTokenLen)
	case len(tok) > maxAdminTokenLen:
		return fmt.Sprintf("is %d characters; use at most %d", len(tok), maxAdminTokenLen)
	}
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; c <= ' ' || c >= 0x7f {
			return fmt.Sprintf("has a space, a control or a non-ASCII character at byte %d; "+
				"it is sent in an Authorization header: use letters, digits and -._~+/=", i+1)
		}
	}
	return ""
}

// adminToken validates the file's admin_token.
func (v *validator) adminToken(tok string) Secret {
	if tok == "" {
		return ""
	}
	if n, _ := follow(v.root, []any{"admin_token"}); n != nil && isNumberLike(n.Type()) {
		// YAML reads 0123… or 1e30 as a number and rewrites it: the token
		// in use would not be the one in the file.
		v.fail([]any{"admin_token"}, "write the token as a string, in quotes")
		return ""
	}
	if msg := checkToken(tok); msg != "" {
		v.fail([]any{"admin_token"}, "%s", msg)
		return ""
	}
	return Secret(tok)
}

func isNumberLike(t ast.NodeType) bool {
	switch t {
	case ast.IntegerType, ast.FloatType, ast.BoolType, ast.InfinityType, ast.NanType:
		return true
	}
	return false
}

// applyEnv lets a non-empty AdminTokenEnv, read with lookup, replace the
// file's admin_token; name is the config file, for the message.
func applyEnv(c *Config, name string, lookup func(string) (string, bool)) error {
	tok, ok := lookup(AdminTokenEnv)
	if !ok || tok == "" {
		return nil
	}
	if msg := checkToken(tok); msg != "" {
		return &Error{Path: name, Key: "admin_token", Msg: AdminTokenEnv + " " + msg}
	}
	c.AdminToken = Secret(tok)
	return nil
}
