package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodToken = "3f9c0d5e7a1b2c4d6e8f0a1b"

func TestAdminToken(t *testing.T) {
	for _, tt := range []struct{ name, line, want string }{
		{"unset", "", ""},
		{"null", "admin_token: ~", ""},
		{"plain", "admin_token: " + goodToken, goodToken},
		{"quoted digits", `admin_token: "0123456789012345678"`, "0123456789012345678"},
	} {
		c, err := Parse([]byte(tt.line+"\nsources: []\n"), "c.yaml")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if c.AdminToken.Reveal() != tt.want {
			t.Errorf("%s: token %q, want %q", tt.name, c.AdminToken.Reveal(), tt.want)
		}
	}
	for _, tt := range []struct{ name, src, want string }{
		{"short", "data_dir: x\nadmin_token: s3cret\n", "c.yaml:2: admin_token: is 6 characters; use at least 16 (make one with: openssl rand -hex 32)"},
		{"space", "admin_token: \"abcdefgh ijklmnopq\"\n", "c.yaml:1: admin_token: has a space, a control or a non-ASCII character at byte 9; "},
		{"non-ASCII", "admin_token: mậtkhẩumậtkhẩumậtkhẩu\n", "c.yaml:1: admin_token: has a space, a control or a non-ASCII character at byte 2; "},
		{"number", "admin_token: 1234567890123456789\n", "c.yaml:1: admin_token: write the token as a string, in quotes"},
		{"too long", "admin_token: " + strings.Repeat("a", 2000) + "\n", "c.yaml:1: admin_token: is 2000 characters; use at most 1024"},
		{"list", "admin_token: [a]\n", "c.yaml:1: admin_token: want a string, got a list"},
	} {
		_, err := Parse([]byte(tt.src), "c.yaml")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v\nwant one line starting %q", tt.name, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: the message repeats the token: %v", tt.name, err)
		}
	}
}

// A token never reaches a log through a printed Config.
func TestAdminTokenIsRedacted(t *testing.T) {
	c, err := Parse([]byte("admin_token: "+goodToken+"\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		if out := fmt.Sprintf(verb, c); strings.Contains(out, goodToken) || strings.Contains(out, fmt.Sprintf("%x", goodToken)) {
			t.Errorf("%s of the config shows the token: %s", verb, out)
		}
	}
	if fmt.Sprint(c.AdminToken) != "[redacted]" || fmt.Sprint(Secret("")) != "" {
		t.Errorf("Secret prints as %q", fmt.Sprint(c.AdminToken))
	}
}

// NOIVU_ADMIN_TOKEN replaces the file's token; a bad one is an error that
// names the key and the variable, never the value.
func TestAdminTokenFromEnv(t *testing.T) {
	file := filepath.Join(t.TempDir(), "noivu.yaml")
	if err := os.WriteFile(file, []byte("admin_token: "+goodToken+"\nsources: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(AdminTokenEnv, "")
	if c, err := Load(file); err != nil || c.AdminToken.Reveal() != goodToken {
		t.Fatalf("empty %s: %v, token %q; want the file's", AdminTokenEnv, err, c.AdminToken.Reveal())
	}
	const fromEnv = "e7c1f0aa93b2d4c6e8f01234"
	t.Setenv(AdminTokenEnv, fromEnv)
	if c, err := Load(file); err != nil || c.AdminToken.Reveal() != fromEnv {
		t.Fatalf("%s set: %v, token %q; want the environment's", AdminTokenEnv, err, c.AdminToken.Reveal())
	}
	t.Setenv(AdminTokenEnv, "short1")
	_, err := Load(file)
	want := file + ": admin_token: NOIVU_ADMIN_TOKEN is 6 characters; use at least 16"
	if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "short1") {
		t.Errorf("short %s: %v\nwant %q…", AdminTokenEnv, err, want)
	}
}
