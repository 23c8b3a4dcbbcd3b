package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium or Chrome binary. Without one the browser
// test is skipped, except in CI (CI=true), where .ci/run installs one and
// a missing browser is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium binary found; CI must install one (apt-get install chromium)")
	}
	t.Skip("no chromium binary found (looked for chromium, chromium-browser, google-chrome)")
	return ""
}

// TestBrowserSearchPage drives /search in a real headless Chromium: type a
// query, submit, see results, follow a facet that narrows them, download
// the CSV of the current results.
func TestBrowserSearchPage(t *testing.T) {
	exe := chromium(t)
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	_, srv := portal(t, 12)
	cfg, _ := crawlConfig(t, srv.URL)
	if r := noivu(t, "crawl", "--quiet", "--config", cfg); r.code != exitOK {
		t.Fatalf("crawl\n%s", r)
	}
	out, _ := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0", "--quiet")
	base := waitFor(t, out, listenRE, 10*time.Second)
	// An exclusion alone matches every article, so the facets have
	// something to narrow.
	const query = "-khongcotunay"
	waitIndexed(t, base+"/api/search?q="+query, 12)

	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-default-browser-check", true)}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	// The first action starts the browser, which lives as long as the
	// context of that call: the timeout goes on the later calls only.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search")); err != nil {
		t.Fatalf("open /search in the browser: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(`label[for="q"]`),
		chromedp.SendKeys("#q", query),
		chromedp.Submit("#q"),
		chromedp.WaitVisible("#total"),
	)
	if err != nil {
		t.Fatalf("search in the browser: %v", err)
	}
	before, err := chromedp.Run(ctx, chromedp.Text("#total strong"))
	if err != nil {
		t.Fatal(err)
	}
	hits, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("ol.results li.hit").length`))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := strconv.Atoi(before); n != 12 || hits != 12 {
		t.Fatalf("after submitting %q: total %q and %d hits listed; want 12 and 12", query, before, hits)
	}
	// The first facet (or month of the timeline) that holds fewer matches
	// than the whole search: following it must narrow the results.
	facetText, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const total = +document.querySelector("#total strong").textContent;
		for (const li of document.querySelectorAll("nav.facets li")) {
			if (+li.querySelector(".n").textContent < total) { const a = li.querySelector("a"); a.id = "pick"; return a.textContent; }
		}
		for (const a of document.querySelectorAll("figure.timeline a")) {
			const n = +a.querySelector("title").textContent.split(": ")[1].split(" ")[0];
			if (n > 0 && n < total) { a.id = "pick"; return a.querySelector("title").textContent; }
		}
		return "";
	})()`))
	if err != nil || facetText == "" {
		t.Fatalf("no facet narrows the results (%v)", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click("#pick"), chromedp.WaitVisible(".filters")); err != nil {
		t.Fatalf("following facet %q: %v", facetText, err)
	}
	after, err := chromedp.Run(ctx, chromedp.Text("#total strong"))
	if err != nil {
		t.Fatal(err)
	}
	href, err := chromedp.Run(ctx, chromedp.AttributeValue("#dl-csv", "href"))
	if err != nil {
		t.Fatal(err)
	}
	csvHref := href.Value
	n, _ := strconv.Atoi(after)
	if n == 0 || n >= 12 {
		t.Fatalf("after facet %q: %q results, want 1-11", facetText, after)
	}
	if !strings.HasPrefix(csvHref, base+"/search.csv?") {
		t.Fatalf("CSV link %q", csvHref)
	}
	res, err := http.Get(csvHref)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("CSV download: %d, %v", res.StatusCode, err)
	}
	if len(rows)-1 != n || rows[0][0] != "id" {
		t.Errorf("CSV download: %d rows, header %v; want the %d results", len(rows)-1, rows[0], n)
	}
}

// waitIndexed polls an /api/search URL until it finds want articles.
func waitIndexed(t *testing.T, apiURL string, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got struct {
			Total int `json:"total"`
		}
		if r, err := http.Get(apiURL); err == nil {
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			_ = json.Unmarshal(b, &got)
		}
		if got.Total == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d articles indexed after 30 s, want %d", apiURL, got.Total, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
