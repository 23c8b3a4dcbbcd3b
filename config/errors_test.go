package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// src builds a config whose first source starts on line 5.
func src(crawl, source string, more ...string) string {
	return "data_dir: ./data\ncrawl:\n" + crawl + "\nsources:\n" +
		"  - id: sonla\n    url: https://sonoivu.sonla.gov.vn/\n" + source + strings.Join(more, "")
}

type errorCase struct{ name, src, want string }

const okCrawl = "  delay: 1s"

func syntaxErrorCases() []errorCase {
	return []errorCase{
		{"empty", "", "c.yaml: empty file"},
		{"blank", "\n\n  \n", "c.yaml: empty file"},
		{"comments only", "# nothing\n", "c.yaml: empty file"},
		{"null document", "~\n", "c.yaml:1: empty document"},
		{"broken", "data_dir: \"./data\n", "c.yaml:1: bad YAML: "},
		{"broken flow", "sources: [{\n", "c.yaml:1: bad YAML: "},
		{"empty tag", "data_dir: a\nsources: ! \n", "c.yaml:2: sources: want a list, got nothing"},
		{"tagged scalar for a list", src(okCrawl, "    start_urls: !x https://sonoivu.sonla.gov.vn/\n"), "c.yaml:7: sources[0].start_urls: want a list, got a single value"},
		{"not a mapping", "- a\n- b\n", "c.yaml:1: want a mapping of settings"},
		{"scalar", "hello\n", "c.yaml:1: want a mapping of settings"},
		{"two documents", "data_dir: a\n---\ndata_dir: b\n", "c.yaml:3: more than one YAML document"},
		{"duplicate key", "data_dir: a\ndata_dir: b\n", `c.yaml:2: bad YAML: mapping key "data_dir" already defined`},
		{"unknown key", "data_dir: a\nuser_agnet: b\n", `c.yaml:2: unknown key "user_agnet" (did you mean user_agent?)`},
		{"several unknown", "data_dir: a\nfoo: b\nbar: c\nbaz: d\n", `c.yaml:2: unknown key "foo"`},
		{"unknown far", "data_dir: a\nfoo: b\n", `c.yaml:2: unknown key "foo"`},
		{"unknown crawl key", src("  delya: 1s", ""), `c.yaml:3: crawl: unknown key "delya" (did you mean delay?)`},
		{"unknown source key", src(okCrawl, "    urls: [x]\n"), `c.yaml:7: sources[0]: unknown key "urls" (did you mean url?)`},
		{"unknown selector", src(okCrawl, "    selectors: {titel: h1}\n"), `c.yaml:7: sources[0].selectors: unknown key "titel" (did you mean title?)`},
		{"crawl not a mapping", "crawl: 5\n", "c.yaml:1: crawl: want a mapping"},
		{"sources not a list", "sources: {id: a}\n", "c.yaml:1: sources: want a list, got a mapping"},
		{"not an integer", src("  concurrency: four", ""), `c.yaml:3: crawl.concurrency: want an integer, got "four"`},
	}
}

func crawlErrorCases() []errorCase {
	const ok = okCrawl
	return []errorCase{
		{"bad duration", src("  delay: 1 second", ""), `c.yaml:3: crawl.delay: bad duration "1 second"`},
		{"duration without unit", src("  timeout: 30", ""), `c.yaml:3: crawl.timeout: bad duration "30"`},
		{"negative delay", src("  delay: -1s", ""), `c.yaml:3: crawl.delay: must not be negative, got "-1s"`},
		{"negative timeout", src("  timeout: -5s", ""), `c.yaml:3: crawl.timeout: must not be negative`},
		{"zero timeout", src("  timeout: 0s", ""), `c.yaml:3: crawl.timeout: must be more than 0`},
		{"zero concurrency", src("  concurrency: 0", ""), `c.yaml:3: crawl.concurrency: must be at least 1, got 0`},
		{"negative concurrency", src("  concurrency: -2", ""), `c.yaml:3: crawl.concurrency: must be at least 1, got -2`},
		{"negative max_depth", src("  max_depth: -1", ""), `c.yaml:3: crawl.max_depth: must not be negative, got -1`},
		{"negative max_pages", src("  max_pages: -1", ""), `c.yaml:3: crawl.max_pages: must be at least 1, got -1`},
		{"negative max_body_bytes", src("  max_body_bytes: -1", ""), `c.yaml:3: crawl.max_body_bytes: must be at least 1`},
		{"recheck order", src("  recheck_min: 800h\n  recheck_max: 720h", ""), `c.yaml:3: crawl.recheck_min: 800h0m0s is more than crawl.recheck_max (720h0m0s)`},
		{"recheck below default", src("  recheck_max: 1h", ""), `c.yaml:3: crawl.recheck_max: 1h0m0s is less than crawl.recheck_min (24h0m0s by default)`},
		{"negative source delay", src(ok, "    delay: -3s\n"), `c.yaml:7: sources[0].delay: must not be negative`},
	}
}

func sourceErrorCases() []errorCase {
	const ok = okCrawl
	return []errorCase{
		{"missing id", src(ok, "", "  - url: https://snv.binhdinh.gov.vn/\n"), `c.yaml:7: sources[1].id: missing`},
		{"id not a slug", src(ok, "", "  - id: Binh Dinh\n    url: https://snv.binhdinh.gov.vn/\n"), `c.yaml:7: sources[1].id: "Binh Dinh" is not a slug`},
		{"id with accents", src(ok, "", "  - id: bìnhđịnh\n    url: https://snv.binhdinh.gov.vn/\n"), `c.yaml:7: sources[1].id: "bìnhđịnh" is not a slug`},
		{"duplicate id", src(ok, "", "  - id: hanoi\n    url: https://sonoivu.hanoi.gov.vn/\n",
			"  - id: sonla\n    url: https://sonla.gov.vn/\n"), `c.yaml:9: sources[2].id: duplicate id "sonla" (first at sources[0])`},
		{"missing url", src(ok, "", "  - id: hanoi\n    name: Hà Nội\n"), `c.yaml:7: sources[1].url: missing`},
		{"url without scheme", src(ok, "", "  - id: hanoi\n    url: sonoivu.hanoi.gov.vn\n"), `c.yaml:8: sources[1].url: "sonoivu.hanoi.gov.vn" is not an absolute http(s) URL`},
		{"url ftp", src(ok, "", "  - id: hanoi\n    url: ftp://sonoivu.hanoi.gov.vn/\n"), `c.yaml:8: sources[1].url: "ftp://sonoivu.hanoi.gov.vn/" is not an absolute`},
		{"url relative", src(ok, "", "  - id: hanoi\n    url: /vi/\n"), `c.yaml:8: sources[1].url: "/vi/" is not an absolute`},
		{"start url relative", src(ok, "    start_urls:\n      - https://sonoivu.sonla.gov.vn/tin-tuc\n      - /tin-tuc\n"),
			`c.yaml:9: sources[0].start_urls[1]: "/tin-tuc" is not an absolute http(s) URL`},
		{"start url off host", src(ok, "    start_urls: [https://sonla.gov.vn/]\n"),
			`c.yaml:7: sources[0].start_urls[0]: host "sonla.gov.vn" is not the source's host "sonoivu.sonla.gov.vn"`},
		{"bad selector", src(ok, "    selectors:\n      body: \"div[\"\n"), `c.yaml:8: sources[0].selectors.body: bad CSS selector "div["`},
		{"bad base_url", "base_url: noivu.example.org\n", `c.yaml:1: base_url: "noivu.example.org" is not an absolute http(s) URL`},
		{"bad schedule", "schedule: \"every hour\"\n", `c.yaml:1: schedule: bad cron expression "every hour"`},
		{"earliest error wins", "sources:\n  - id: A\n    url: x\ncrawl:\n  delay: x\n", `c.yaml:2: sources[0].id: "A" is not a slug`},
		{"missing ca bundle", src(ok, "    ca_bundle: certs/none.pem\n"), `c.yaml:7: sources[0].ca_bundle: cannot read "certs/none.pem": no such file`},
		{"ca bundle not PEM", src(ok, "    ca_bundle: c.yaml\n"), `c.yaml:7: sources[0].ca_bundle: no PEM certificate in "c.yaml"`},
	}
}

func TestErrors(t *testing.T) {
	tests := append(append(syntaxErrorCases(), crawlErrorCases()...), sourceErrorCases()...)
	dir := t.TempDir()
	name := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(name, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src), name)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %T %v, want an *Error", err, err)
			}
			got := strings.TrimPrefix(err.Error(), dir+string(filepath.Separator))
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("got  %s\nwant %s...", got, tt.want)
			}
			if strings.ContainsAny(got, "\r\n") {
				t.Errorf("message spans lines: %q", got)
			}
		})
	}
}

func TestCABundle(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "certs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "certs", "ca.pem"), testCertPEM(t), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Parse([]byte(src("  delay: 1s", "    ca_bundle: certs/ca.pem\n")), filepath.Join(dir, "c.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "certs", "ca.pem"); c.Sources[0].CABundle != want {
		t.Errorf("CABundle = %q, want %q (relative to the config's folder)", c.Sources[0].CABundle, want)
	}
}

func testCertPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "noivu test CA"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
