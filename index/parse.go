package index

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Bounds that keep any query cheap. Words are matched as whole syllables:
// there are no wildcards or regular expressions to expand, so '*' and '?'
// are punctuation like any other and never widen a term.
const (
	maxQueryLen = 1000 // characters
	maxTerms    = 32   // syllables across all words and phrases
	maxTokens   = 64   // words, phrases, parentheses and ORs before analysis
	maxDepth    = 3    // parentheses inside parentheses
)

// Query is a parsed query: every clause must hold, and the article must be
// published in [Since, Until) when those are set.
type Query struct {
	Clauses []Clause
	Since   time.Time // zero: no lower bound
	Until   time.Time // exclusive; zero: no upper bound
}

// Clause is one condition of a query: a word or phrase (in a field or in
// title and text), an OR of clauses, or a parenthesised group.
type Clause struct {
	Not    bool     // the article must not match
	Any    []Clause // an OR: one of these must match
	Group  []Clause // parentheses: all of these must match
	Field  string   // "" (title and text), title, author, source or province
	Text   string   // the word or phrase as typed, NFC
	Phrase bool     // typed in quotes
}

// The fields a query may name. The date fields never reach a Clause.
var queryFields = map[string]bool{
	"title": true, "author": true, "source": true, "province": true,
	"since": true, "until": true, "published": true,
}

// ParseQuery parses the query language:
//
//	cải cách hành chính      every word must match, with or without diacritics
//	"cải cách hành chính"    the syllables in this order
//	-word  -"a phrase"       must not match
//	tuyển dụng OR thi tuyển  either (OR binds tighter than the implicit AND)
//	(a b) OR c               grouping, at most 3 deep
//	title: author: source: province:   limit a word or "phrase" to a field
//	since:2024-01-01 until:2024-12-31 published:2024-01..2024-06
//
// Dates are YYYY, YYYY-MM or YYYY-MM-DD in Vietnam time; until: and the end
// of a published: range include the whole period named. Errors wrap
// ErrBadQuery and say what to change.
func ParseQuery(s string) (Query, error) {
	if n := utf8.RuneCountInString(s); n > maxQueryLen {
		return Query{}, badQuery("the query is %d characters long; the limit is %d", n, maxQueryLen)
	}
	toks, err := lex(norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD")))
	if err != nil {
		return Query{}, err
	}
	p := &parser{toks: toks}
	clauses, err := p.sequence(0)
	if err != nil {
		return Query{}, err
	}
	if p.pos < len(p.toks) {
		return Query{}, badQuery("unmatched ')'")
	}
	return takeDates(clauses)
}

func badQuery(format string, args ...interface{}) error {
	return fmt.Errorf("index: %w: %s", ErrBadQuery, fmt.Sprintf(format, args...))
}

type tokKind int

const (
	tWord tokKind = iota
	tPhrase
	tOpen
	tClose
	tOr
)

type token struct {
	kind  tokKind
	text  string
	field string
	not   bool
}

// lex splits s into words, quoted phrases, parentheses and OR.
func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		if len(toks) == maxTokens {
			return nil, badQuery("too many words, phrases, parentheses and ORs; the limit is %d", maxTokens)
		}
		var t token
		if r == '-' && i+1 < len(s) && startsClause(s[i+1:]) {
			t.not = true
			i++
		}
		var err error
		t, i, err = lexOne(s, i, t)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
	}
	return toks, nil
}

// lexOne reads the token at s[i:] into t and returns the index after it.
func lexOne(s string, i int, t token) (token, int, error) {
	switch s[i] {
	case '(':
		t.kind = tOpen
		return t, i + 1, nil
	case ')':
		if t.not {
			return t, i, badQuery("'-' must be followed by a word, a \"phrase\" or '('")
		}
		t.kind = tClose
		return t, i + 1, nil
	case '"':
		return lexPhrase(s, i, t)
	}
	j := i
	for j < len(s) && !isBreak(s[j:]) && s[j] != ':' {
		j++
	}
	if j < len(s) && s[j] == ':' && queryFields[strings.ToLower(s[i:j])] {
		t.field = strings.ToLower(s[i:j])
		j++
		if j < len(s) && s[j] == '"' {
			return lexPhrase(s, j, t)
		}
		i = j
		if j == len(s) || isBreak(s[j:]) {
			return t, j, badQuery("%s: needs a word or a \"phrase\" right after the colon", t.field)
		}
	}
	for j < len(s) && !isBreak(s[j:]) {
		j++
	}
	t.kind, t.text = tWord, s[i:j]
	if t.text == "OR" && !t.not && t.field == "" {
		t.kind = tOr
	}
	return t, j, nil
}

// lexPhrase reads the quoted phrase that starts at s[i] == '"'.
func lexPhrase(s string, i int, t token) (token, int, error) {
	end := strings.IndexByte(s[i+1:], '"')
	if end < 0 {
		return t, i, badQuery("a quote is not closed: add the closing \"")
	}
	t.kind, t.text = tPhrase, s[i+1:i+1+end]
	return t, i + 2 + end, nil
}

// startsClause reports whether what follows a '-' can be excluded.
func startsClause(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return !unicode.IsSpace(r) && r != ')'
}

// isBreak reports whether s starts with what ends a word.
func isBreak(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r) || r == '"' || r == '(' || r == ')'
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() (token, bool) {
	if p.pos < len(p.toks) {
		return p.toks[p.pos], true
	}
	return token{}, false
}

// sequence parses clauses up to the end or a ')'.
func (p *parser) sequence(depth int) ([]Clause, error) {
	var out []Clause
	for {
		t, ok := p.peek()
		if !ok || t.kind == tClose {
			return out, nil
		}
		c, err := p.or(depth)
		if err != nil {
			return nil, err
		}
		if c.Text == "AND" && !c.Phrase && c.Field == "" && !c.Not {
			continue // the default; accepted for those used to it
		}
		out = append(out, c)
	}
}

// or parses one clause and any "OR clause" after it.
func (p *parser) or(depth int) (Clause, error) {
	first, err := p.unary(depth)
	if err != nil {
		return Clause{}, err
	}
	alts := []Clause{first}
	for {
		t, ok := p.peek()
		if !ok || t.kind != tOr {
			break
		}
		p.pos++
		c, err := p.unary(depth)
		if err != nil {
			return Clause{}, err
		}
		alts = append(alts, c)
	}
	if len(alts) == 1 {
		return first, nil
	}
	for _, c := range alts {
		if c.Not {
			return Clause{}, badQuery("an excluded term cannot be one side of OR")
		}
	}
	return Clause{Any: alts}, nil
}

// unary parses a word, a phrase or a parenthesised group, with its '-'.
func (p *parser) unary(depth int) (Clause, error) {
	t, ok := p.peek()
	if !ok {
		return Clause{}, badQuery("OR needs a term on each side")
	}
	p.pos++
	switch t.kind {
	case tOr:
		return Clause{}, badQuery("OR needs a term on each side")
	case tClose:
		return Clause{}, badQuery("unmatched ')'")
	case tOpen:
		if depth == maxDepth {
			return Clause{}, badQuery("parentheses are nested too deep; the limit is %d", maxDepth)
		}
		group, err := p.sequence(depth + 1)
		if err != nil {
			return Clause{}, err
		}
		if t, ok := p.peek(); !ok || t.kind != tClose {
			return Clause{}, badQuery("a '(' is not closed: add the closing ')'")
		}
		p.pos++
		if len(group) == 0 {
			return Clause{}, badQuery("empty parentheses")
		}
		return Clause{Not: t.not, Group: group}, nil
	}
	return Clause{Not: t.not, Field: t.field, Text: t.text, Phrase: t.kind == tPhrase}, nil
}
