package extract

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// cmsRule holds the selectors of one platform's article page, each list
// tried in order. Growing support for a portal is adding a row here.
type cmsRule struct {
	name   string
	title  []string
	date   []string
	author []string
	lead   []string // a lead (sapo) kept outside the body element
	body   []string
	// signs detect the platform: a generator substring, HTML substrings
	// (class names, script names) and URL path patterns.
	generator []string
	markers   []string
	urls      *regexp.Regexp
	// needURL says the markers are class names too common to count alone
	// (chron.com has .article-body and .article-title): the URL must match.
	needURL bool
}

var cmsRules = []cmsRule{
	{
		name: "nukeviet", generator: []string{"nukeviet"},
		markers: []string{"nv_base_siteurl", "/themes/default/js/", "news_column", "news-bodyhtml", "nukeviet"},
		urls:    regexp.MustCompile(`/(vi|en)/(news|snv)/|/uploads/news/`),
		title:   []string{".news_column h1.title", ".news_column h1", "h1.title", ".news-detail h1", ".detail h1", "#news_detail h1"},
		date:    []string{".news_column .h5 .fa-clock-o", ".news_column span.h5", ".news_column .time", ".news_column .text-muted", "#news_detail .time"},
		author:  []string{".news_column .h5.text-right", ".news_column p.text-right", ".author"},
		lead:    []string{".news_column .hometext", ".hometext", "#hometext"},
		body:    []string{"#news-bodyhtml", ".news_column .bodytext", ".bodytext"},
		// NukeViet 3's default theme: #news_detail h1, span.time, #hometext.
	},
	{
		name: "drupal", generator: []string{"drupal"},
		markers: []string{"drupal.settings", "drupal-settings-json", "/sites/default/files/", "field-name-body", "field--name-body"},
		urls:    regexp.MustCompile(`/node/\d+`),
		title:   []string{"h1.page-title", "h1#page-title", ".node h1", "h1.title", "h1"},
		date:    []string{".node .submitted", ".field-name-post-date", ".field--name-created", ".date-display-single", ".node__meta", ".submitted"},
		author:  []string{".field-name-field-author", ".field--name-field-author", ".field-name-field-tac-gia"},
		body:    []string{".node .field-name-body .field-item", ".field--name-body", ".node .field-name-body", ".node__content", ".node .content"},
	},
	{
		name: "liferay", markers: []string{"liferay.", "themedisplay", "journal-content-article", "portlet-boundary", "/-/asset_publisher/"},
		urls:   regexp.MustCompile(`/-/view[-_]article/|/web/guest/|/c/portal/`),
		title:  []string{".asset-full-content .header-title", ".journal-content-article h1", ".asset-title", "h3.header-title", ".header-title", ".title-article", "h1"},
		date:   []string{".asset-full-content .date", ".news-date", ".publish-date", ".asset-metadata .metadata-publish-date", ".date"},
		author: []string{".asset-full-content .author", ".news-author", ".metadata-author"},
		lead:   []string{".news-sapo", ".sapo"},
		body:   []string{".asset-full-content .journal-content-article", ".journal-content-article", ".asset-content", ".news-content"},
	},
	{
		name: "sharepoint", generator: []string{"microsoft sharepoint"},
		markers: []string{"/_layouts/", "_spbodyonloadfunctionnames", "ms-rtestate-field", "mswebpartpage", "ms-webpart"},
		urls:    regexp.MustCompile(`(?i)/pages/[^/]+\.aspx`),
		title:   []string{".title-news", ".news-title", "h1.title", ".article-title", "h1"},
		date:    []string{".date-news", ".news-date", ".time-news", ".date"},
		author:  []string{".author-news", ".news-author", ".author"},
		lead:    []string{".sapo-news", ".news-sapo", ".sapo"},
		body:    []string{".content-news .ms-rtestate-field", "div[id$='_RichHtmlField']", ".ms-rtestate-field", ".content-news"},
	},
	{
		name: "webcenter", markers: []string{"/webcenter/portal/", "afr_", "oracle webcenter", "/adf/", "ucm_"},
		urls:   regexp.MustCompile(`(?i)/webcenter/|[?&]ddocname=`),
		title:  []string{".news-detail .title", ".detail-title", ".title-detail", "h1"},
		date:   []string{".news-detail .date", ".detail-date", ".date-detail", ".date"},
		author: []string{".detail-author", ".author"},
		lead:   []string{".detail-sapo", ".sapo"},
		body:   []string{".detail-content", ".news-detail .content", ".content-detail"},
	},
	{
		name: "joomla", generator: []string{"joomla"},
		markers: []string{"/media/jui/", "/components/com_content/", "item-page", "option=com_content"},
		urls:    regexp.MustCompile(`option=com_content|/component/content/`),
		title:   []string{".item-page [itemprop=headline]", ".item-page .page-header h2", ".item-page h2", ".item-page h1"},
		date:    []string{".item-page dd.published", ".item-page time", ".item-page .create", ".article-info"},
		author:  []string{".item-page dd.createdby", ".createdby"},
		body:    []string{"[itemprop=articleBody]", ".item-page"},
	},
	{
		name: "wordpress", generator: []string{"wordpress"},
		markers: []string{"/wp-content/", "/wp-includes/"},
		title:   []string{"h1.entry-title", ".entry-title", "h1.post-title"},
		date:    []string{".entry-meta .entry-date", "time.entry-date", ".posted-on", ".entry-meta"},
		author:  []string{".entry-meta .author .fn", ".byline .author", ".author.vcard"},
		body:    []string{".entry-content", ".post-content", "article .content"},
	},
	{
		name: "dnn", generator: []string{"dotnetnuke", "dnn "},
		markers: []string{"dotnetnuke", "/portals/0/", "dnn_ctr", "dnncore.js"},
		urls:    regexp.MustCompile(`(?i)/tabid/\d+|\.aspx`),
		title:   []string{".news-detail h1", ".title-detail", ".Head", "h1"},
		date:    []string{".news-detail .date", ".date-detail", ".SubHead"},
		author:  []string{".author"},
		body:    []string{".news-detail .content", ".content-detail", "div[id$='_lblContent']", ".Normal"},
	},
	{
		// The provincial platform of Tuyên Quang: /vi/tin-bai/<slug>?id=<n>&type=NEWS.
		name: "tuyenquang-platform", markers: []string{"article-body", "article-title", "/vi/tin-bai/"},
		urls: regexp.MustCompile(`/tin-bai/[^/?]+\?id=\d+&type=`), needURL: true,
		title:  []string{".box-article h1.article-title", "h1.article-title"},
		date:   []string{".article-meta .article-date", ".article-date", ".article-meta"},
		author: []string{".article-author"},
		body:   []string{".box-article .article-body", ".article-body"},
	},
	{
		// Print views (Lạng Sơn's /bm/print/<id>): no site furniture, the
		// article alone with a print header and footer.
		name: "print", markers: []string{"window.print()", "print-content", "print-body", "print-title"},
		urls:   regexp.MustCompile(`(?i)/(?:bm/)?print/\d+|[?&]print=`),
		title:  []string{".print-title", ".print-content h1", ".print-content h2"},
		date:   []string{".print-date", ".print-content .date"},
		author: []string{".print-author"},
		body:   []string{".print-body", ".print-content .content"},
	},
	{
		name: "sonla-custom", markers: []string{"đăng ngày:", "content-detail", "title-detail"},
		urls:   regexp.MustCompile(`^/\d{4}/\d{2}/[^/]+\.html$`),
		title:  []string{".title-detail", ".detail-title", ".post-title", "h1"},
		date:   []string{".date-detail", ".post-date", ".detail-date", ".date"},
		author: []string{".author-detail", ".author"},
		lead:   []string{".sapo-detail", ".sapo"},
		body:   []string{".content-detail", ".detail-content", ".post-body", ".post-content"},
	},
}

// detectCMS scores each platform by its generator meta, markers in the
// HTML and the URL shape; nil when no platform shows at least two signs
// (or its generator).
func detectCMS(metas []*html.Node, raw string, u *url.URL) *cmsRule {
	gen := strings.ToLower(metaContent(metas, selGenerator))
	if len(raw) > 256<<10 {
		raw = raw[:256<<10]
	}
	found := markerIndex.scan(raw)
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	var best *cmsRule
	bestScore := 0
	for i := range cmsRules {
		r := &cmsRules[i]
		urlOK := r.urls != nil && r.urls.MatchString(path)
		if r.needURL && !urlOK {
			continue
		}
		score := 0
		for _, g := range r.generator {
			if gen != "" && strings.Contains(gen, g) {
				score += 3
			}
		}
		for _, m := range r.markers {
			if found[m] {
				score++
			}
		}
		if urlOK {
			score++
		}
		if score > bestScore {
			best, bestScore = r, score
		}
	}
	if bestScore < 2 {
		return nil
	}
	return best
}
