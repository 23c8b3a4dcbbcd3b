package web

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The checks below parse what the server sends as a browser would (the
// HTML5 parsing algorithm of golang.org/x/net/html) and walk the tree:
// grepping the bytes would miss what only parsing reveals (an attribute
// broken out of, a tag spliced together) and flag what is inert (escaped
// text that shows "<script>").

// dangerousElements run, load or reframe something when parsed.
var dangerousElements = map[atom.Atom]bool{
	atom.Script: true, atom.Iframe: true, atom.Frame: true, atom.Frameset: true, atom.Object: true,
	atom.Embed: true, atom.Applet: true, atom.Base: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true,
}

// urlAttrs hold a URL that a browser follows, loads or submits to.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "poster": true, "background": true,
	"data": true, "srcset": true, "cite": true, "ping": true, "lowsrc": true, "dynsrc": true, "codebase": true,
	"manifest": true, "longdesc": true, "usemap": true,
}

// dangerousURL reports whether a browser would run v (after the
// normalisation browsers apply: controls and spaces stripped, any case).
func dangerousURL(v string) bool {
	var b strings.Builder
	for _, r := range v {
		if r > ' ' {
			b.WriteRune(r)
		}
	}
	u := strings.ToLower(b.String())
	return strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:") || strings.HasPrefix(u, "data:") ||
		strings.HasPrefix(u, "livescript:") || strings.HasPrefix(u, "mocha:")
}

// checkTree fails for anything under n that runs script or loads a page:
// dangerous elements, on* handlers, style attributes, javascript:/vbscript:/
// data: URLs (xlink:href too), meta refresh. allowForm admits the search
// page's own form.
func checkTree(t reporter, where string, n *html.Node) {
	t.Helper()
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if dangerousElements[n.DataAtom] || n.Data == "script" {
				t.Errorf("%s: a <%s> element survived", where, n.Data)
			}
			if n.DataAtom == atom.Meta && attr(n, "http-equiv") != "" {
				t.Errorf("%s: <meta http-equiv=%q> survived", where, attr(n, "http-equiv"))
			}
			if n.DataAtom == atom.Link && !strings.Contains(attr(n, "href"), "noivu.example.org") {
				t.Errorf("%s: <link href=%q> loads from elsewhere", where, attr(n, "href"))
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					t.Errorf("%s: <%s %s=%q>: an event handler survived", where, n.Data, a.Key, a.Val)
				case key == "style":
					t.Errorf("%s: <%s style=%q>: a style attribute survived", where, n.Data, a.Val)
				case (urlAttrs[key] || a.Namespace == "xlink") && dangerousURL(a.Val):
					t.Errorf("%s: <%s %s=%q>: a script or data URL survived", where, n.Data, a.Key, a.Val)
				case key == "srcdoc":
					t.Errorf("%s: <%s srcdoc>: survived", where, n.Data)
				}
			}
			if n.DataAtom == atom.Form && !strings.HasSuffix(attr(n, "action"), "/search") {
				t.Errorf("%s: a <form action=%q> that is not the search form", where, attr(n, "action"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// checkPage parses a whole HTML page and checks its tree.
func checkPage(t reporter, where, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	checkTree(t, where, doc)
}

// checkFragment parses HTML meant for a body (feed content) and checks it.
func checkFragment(t reporter, where, fragment string) {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	for _, n := range nodes {
		checkTree(t, where, n)
	}
}

// checkPlain checks text that a feed reader may render as HTML (RSS titles
// and descriptions, author names): parsed so, it must hold no element.
func checkPlain(t reporter, where, text string) {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(text), body)
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	for _, n := range nodes {
		if n.Type == html.ElementNode {
			t.Errorf("%s: %q parses into a <%s> element; want plain text", where, text, n.Data)
		}
	}
}

// checkHTMLHeaders checks the headers of an HTML page: a CSP that allows
// no inline script (nor any other), cannot be framed, and no sniffing.
func checkHTMLHeaders(t reporter, where string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	dirs := map[string][]string{}
	for d := range strings.SplitSeq(csp, ";") {
		if f := strings.Fields(d); len(f) > 0 {
			dirs[strings.ToLower(f[0])] = f[1:]
		}
	}
	script, ok := dirs["script-src"]
	if !ok {
		script, ok = dirs["default-src"]
	}
	if !ok {
		t.Errorf("%s: CSP %q sets neither script-src nor default-src", where, csp)
	}
	for _, src := range script {
		switch strings.ToLower(src) {
		case "'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:", "blob:":
			t.Errorf("%s: CSP %q lets scripts run (%s)", where, csp, src)
		}
	}
	if len(script) != 1 || script[0] != "'none'" {
		t.Errorf("%s: CSP script sources %v, want 'none'", where, script)
	}
	if fa := dirs["frame-ancestors"]; (len(fa) != 1 || fa[0] != "'none'") && h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("%s: may be framed: CSP %q, X-Frame-Options %q", where, csp, h.Get("X-Frame-Options"))
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q", where, h.Get("X-Content-Type-Options"))
	}
	if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Errorf("%s: Content-Type %q", where, h.Get("Content-Type"))
	}
}

// reporter is what the checks need of a *testing.T; the test of the checks
// gives them a tally instead.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

type tally struct{ n int }

func (c *tally) Helper()               {}
func (c *tally) Errorf(string, ...any) { c.n++ }

// The checks themselves catch what they are for.
func TestCheckersCatchPayloads(t *testing.T) {
	for _, bad := range []string{
		`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `<a href=" JaVa&#x09;script:alert(1)">x</a>`,
		`<svg><a xlink:href="javascript:alert(1)">x</a></svg>`, `<p style="x:expression(alert(1))">`,
		`<iframe srcdoc="<script>alert(1)</script>"></iframe>`, `<a href="data:text/html,<script>alert(1)</script>">`,
		`<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">`, `"><svg onload=alert(1)>`,
	} {
		var c tally
		checkFragment(&c, "probe", bad)
		if c.n == 0 {
			t.Errorf("checkFragment passed %q", bad)
		}
	}
}
