package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("../config.yaml"); err == nil {
		f.Add(data)
	}
	for _, s := range []string{
		"", "~", "- a\n", "data_dir: \"x\n", "a: 1\n---\nb: 2\n",
		src("  delay: 1 second", ""),
		src("  concurrency: -1\n  recheck_min: 9h\n  recheck_max: 1h", "    start_urls: [/x, 'https://a/']\n"),
		src("  <<: {delay: 2s}", "    selectors: {body: 'div[', titel: h1}\n"),
		"base: &b {delay: 1s}\ncrawl: *b\nsources: [&s {id: a, url: 'http://a/'}, *s]\n",
		"sources: [{id: a, url: 'http://a/', start_urls: [!!binary aGk=, 1, null, [x]]}]\n",
		"? [a]\n: 1\n", "\tcrawl: {}\n", "crawl: !!map {delay: !!str 1s}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if err == nil {
			if c == nil {
				t.Fatal("nil config without an error")
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%T %v is not an *Error", err, err)
		}
		msg := err.Error()
		if strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, "fuzz.yaml") {
			t.Fatalf("not a one-line message naming the file: %q", msg)
		}
	})
}
