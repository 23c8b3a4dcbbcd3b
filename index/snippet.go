package index

import (
	"html"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
)

// snippetTokens is the length of a snippet, in syllables (about 150
// characters of Vietnamese).
const snippetTokens = 32

// highlighter marks matches in stored text. Bleve's own highlighter reads
// the locations of one field, so a folded match (text_folded) or a phrase
// (pairs and syllables, phrase.go) would leave the exact text unmarked; re-analysing the few
// texts of a page with the folded analyzer is cheap and marks every kind of
// match on the original bytes.
type highlighter struct {
	folded analysis.Analyzer
}

func newHighlighter(im mapping.IndexMapping) highlighter {
	return highlighter{folded: im.AnalyzerNamed(analyzerFolded)}
}

// marked analyses s and reports, per token, whether it belongs to one of
// the sequences.
func (h highlighter) marked(s string, seqs [][]string) (analysis.TokenStream, []bool) {
	toks := h.folded.Analyze([]byte(s))
	on := make([]bool, len(toks))
	if len(seqs) == 0 {
		return toks, on
	}
	first := map[string][][]string{}
	for _, seq := range seqs {
		first[seq[0]] = append(first[seq[0]], seq)
	}
	for i, t := range toks {
		for _, seq := range first[string(t.Term)] {
			if matchesAt(toks, i, seq) {
				for k := range seq {
					on[i+k] = true
				}
			}
		}
	}
	return toks, on
}

func matchesAt(toks analysis.TokenStream, i int, seq []string) bool {
	if i+len(seq) > len(toks) {
		return false
	}
	for k, s := range seq {
		if string(toks[i+k].Term) != s {
			return false
		}
	}
	return true
}

// whole returns all of s as HTML with its matches marked.
func (h highlighter) whole(s string, seqs [][]string) string {
	toks, on := h.marked(s, seqs)
	return render(s, toks, on, 0, len(toks))
}

// snippet returns the passage of s with the most matches (its start when
// none), as HTML with the matches marked and "…" where it was cut.
func (h highlighter) snippet(s string, seqs [][]string) string {
	toks, on := h.marked(s, seqs)
	if len(toks) == 0 {
		return ""
	}
	best, bestN, n := 0, 0, 0
	for i := range toks {
		if on[i] {
			n++
		}
		if i >= snippetTokens && on[i-snippetTokens] {
			n--
		}
		if n > bestN {
			bestN, best = n, max(0, i-snippetTokens+1)
		}
	}
	if bestN > 0 {
		// Start a few syllables before the first match for some context.
		for best < len(toks) && !on[best] {
			best++
		}
		best = max(0, best-4)
	}
	end := min(len(toks), best+snippetTokens)
	out := render(s, toks, on, best, end)
	if best > 0 {
		out = "…" + out
	}
	if end < len(toks) {
		out += "…"
	}
	return out
}

// render escapes s from token from to token to (exclusive) and wraps runs
// of marked tokens in <mark>; a run spans the spaces between its syllables.
func render(s string, toks analysis.TokenStream, on []bool, from, to int) string {
	if len(toks) == 0 {
		return html.EscapeString(s)
	}
	var b strings.Builder
	lo, hi := toks[from].Start, toks[to-1].End
	if from == 0 && to == len(toks) {
		lo, hi = 0, len(s)
	}
	pos := lo
	for i := from; i < to; i++ {
		if !on[i] || (i > from && on[i-1] && onlySpace(s[toks[i-1].End:toks[i].Start])) {
			continue
		}
		j := i
		for j+1 < to && on[j+1] && onlySpace(s[toks[j].End:toks[j+1].Start]) {
			j++
		}
		b.WriteString(html.EscapeString(s[pos:toks[i].Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(s[toks[i].Start:toks[j].End]))
		b.WriteString("</mark>")
		pos = toks[j].End
	}
	b.WriteString(html.EscapeString(s[pos:hi]))
	return b.String()
}

func onlySpace(s string) bool { return strings.TrimSpace(s) == "" }
