package web

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/feed"
)

// scope is what a feed covers: everything, one source or one province.
type scope struct {
	kind string // "all", "source" or "province"
	key  string // source id or province slug; "" for all
}

var scopeAll = scope{kind: "all"}

// path is the scope's feed path in format f, relative to the base URL.
func (sc scope) path(f feed.Format) string {
	switch sc.kind {
	case "source":
		return "/sources/" + sc.key + "/feed." + string(f)
	case "province":
		return "/provinces/" + sc.key + "/feed." + string(f)
	default:
		return "/feed." + string(f)
	}
}

// province is a province and the sources that publish for it: the sources
// of the historical province and of every province merged into it.
type province struct {
	Slug, Name string
	Sources    []string // source ids, in config order
}

// provinces groups sources by Province and by CurrentProvince, so that the
// feed of a province formed by the 2025 mergers carries its predecessors.
func provinces(sources []article.Source) []province {
	var out []province
	index := map[string]int{}
	add := func(name, id string) {
		if name == "" {
			return
		}
		slug := Slug(name)
		i, ok := index[slug]
		if !ok {
			i = len(out)
			index[slug] = i
			out = append(out, province{Slug: slug, Name: name})
		}
		if p := &out[i]; len(p.Sources) == 0 || p.Sources[len(p.Sources)-1] != id {
			p.Sources = append(p.Sources, id)
		}
	}
	for _, s := range sources {
		add(s.Province, s.ID)
		add(s.CurrentProvince, s.ID)
	}
	return out
}

// Slug is the URL form of a province name: "Bình Định" → "binh-dinh".
func Slug(name string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, err := transform.String(t, name)
	if err != nil {
		s = name
	}
	s = strings.NewReplacer("đ", "d", "Đ", "d").Replace(strings.ToLower(s))
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
