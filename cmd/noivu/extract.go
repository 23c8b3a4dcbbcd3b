package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/extract"
)

func runExtract(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "extract", "[--json] [--url URL] FILE|URL")
	asJSON := fs.Bool("json", false, "print one JSON object")
	pageURL := fs.String("url", "", "the page's URL when reading a FILE (to resolve links and guess the CMS)")
	pos, err := parse(fs, e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return withCode(exitUsage, fmt.Errorf("want one FILE or URL, got %d", len(pos)))
	}
	body, ctype, where, err := readPage(ctx, pos[0])
	if err != nil {
		return err
	}
	if *pageURL == "" {
		*pageURL = where
	}
	res, err := extract.Extract(body, *pageURL, ctype, article.Selectors{})
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(extractJSON(res))
	}
	printExtract(e, res)
	return nil
}

// readPage reads a local file or fetches an http(s) URL.
func readPage(ctx context.Context, arg string) (body []byte, contentType, pageURL string, err error) {
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, arg, nil)
		if err != nil {
			return nil, "", "", withCode(exitUsage, err)
		}
		req.Header.Set("User-Agent", "noivu/"+version+" (extract)")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, "", "", fmt.Errorf("fetch %s: %w", arg, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, 50<<20))
		if err != nil {
			return nil, "", "", fmt.Errorf("fetch %s: %w", arg, err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, "", "", fmt.Errorf("fetch %s: HTTP %d", arg, resp.StatusCode)
		}
		return body, resp.Header.Get("Content-Type"), resp.Request.URL.String(), nil
	}
	body, err = os.ReadFile(arg)
	if err != nil {
		return nil, "", "", err
	}
	return body, "", "", nil
}

// extractJSON is the object DESIGN.md promises: null for an absent author or date.
func extractJSON(r extract.Result) map[string]any {
	out := map[string]any{
		"url": r.URL, "title": r.Title, "author": nil, "published": nil, "text": r.Text, "html": r.HTML,
		"unit": r.Unit, "outlet": r.Outlet, "date_only": r.DateOnly, "updated": nil,
		"images": r.Images, "attachments": r.Attachments, "is_article": r.IsArticle,
		"cms": r.CMS, "charset": r.Charset, "garbled": r.Garbled, "recoded": r.Recoded, "layers": r.Layers,
		"section": r.Section,
	}
	if r.Author != "" {
		out["author"] = r.Author
	}
	if !r.Published.IsZero() {
		out["published"] = r.Published.Format(time.RFC3339)
	}
	if !r.Updated.IsZero() {
		out["updated"] = r.Updated.Format(time.RFC3339)
	}
	if r.Images == nil {
		out["images"] = []article.Image{}
	}
	if r.Attachments == nil {
		out["attachments"] = []article.Attachment{}
	}
	return out
}

// printExtract shows an operator what was found and by which layer.
func printExtract(e env, r extract.Result) {
	row := func(field, value string) {
		layer := r.Layers[field]
		if value == "" {
			value, layer = "—", "not found"
		}
		fmt.Fprintf(e.stdout, "%-10s %s  [%s]\n", field+":", value, layer)
	}
	kind := "not an article (listing, home or other page)"
	if r.IsArticle {
		kind = "article"
	}
	fmt.Fprintf(e.stdout, "page:      %s\nkind:      %s\ncms:       %s\ncharset:   %s\n", r.URL, kind, orDash(r.CMS), orDash(r.Charset))
	row("title", r.Title)
	row("author", r.Author)
	row("unit", r.Unit)
	row("outlet", r.Outlet)
	row("section", r.Section)
	pub := ""
	if !r.Published.IsZero() {
		pub = r.Published.Format(time.RFC3339)
		if r.DateOnly {
			pub = r.Published.Format("2006-01-02") + " (date only)"
		}
	}
	row("published", pub)
	row("body", fmt.Sprintf("%d characters, %d paragraphs, %d images, %d attachments",
		len([]rune(r.Text)), strings.Count(r.Text, "\n\n")+1, len(r.Images), len(r.Attachments)))
	if r.Garbled {
		fmt.Fprintln(e.stdout, "warning:   the text looks like TCVN3/VNI mojibake")
	}
	fmt.Fprintf(e.stdout, "\n%s\n", clip(r.Text, 600))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
