package extract

import (
	"strings"
	"testing"
)

// TestMarkerSetScan checks the one-pass scan against lower-casing the text
// and searching each marker in it.
func TestMarkerSetScan(t *testing.T) {
	markers := []string{"article-body", "/wp-content/", "đăng ngày:", "drupal.settings", "afr_"}
	set := newMarkerSet(markers)
	for _, text := range []string{
		"", "ab", `<div class="Article-Body">`, `<script src="/WP-CONTENT/x.js">`,
		"Đăng ngày: 14/11/2023", "ĐĂNG NGÀY: 14/11", "đăng ngày:", "Drupal.Settings={}",
		"no marker here: article body, wp content", "xafr_", "articl", "đăng ngày",
	} {
		got := set.scan(text)
		for _, m := range markers {
			if want := strings.Contains(strings.ToLower(text), m); got[m] != want {
				t.Errorf("scan(%q)[%q] = %v, want %v", text, m, got[m], want)
			}
		}
	}
}
