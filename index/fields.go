package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/noivu/noivu/article"
)

// Each text is indexed under four fields (mapping.go) whose analyzers
// share their first steps: NFC, syllables, lower case, and for three of
// them folding. Through the mapping, Bleve runs each analyzer on its own,
// so a text was split, lower-cased and folded three or four times, and
// Bleve then sized every token of it for its memory accounting: together a
// fifth of a rebuild's CPU. Here a text is analysed once for its four
// fields (analyzedText), with the same analyzers' filters in the same
// order, so the terms are those the mapping's analyzers give
// (TestFieldsAsTheMapping) and queries, which are analysed through the
// mapping, meet them.

// buildDocument returns the Bleve document of a: the fields that are not
// text through the mapping, the text fields analysed once each.
func buildDocument(im mapping.IndexMapping, a *article.Article, src article.Source) (*bdoc.Document, error) {
	d := newDocument(a, src)
	doc := bdoc.NewDocument(a.ID)
	texts := make(map[string]string, len(textProperties))
	for _, f := range textProperties {
		if v, ok := d[f].(string); ok {
			texts[f] = v
			delete(d, f)
		}
	}
	if err := im.MapDocument(doc, map[string]interface{}(d)); err != nil {
		return nil, err
	}
	// Every field is kept out of Bleve's catch-all _all field, which no
	// query reads: it would only cost a pass over each field's terms.
	doc.CompositeFields = nil
	for _, f := range textProperties {
		if v, ok := texts[f]; ok {
			t := &analyzedText{value: []byte(v)}
			for k := range t.fields {
				doc.AddField(&analyzedField{text: t, kind: k, name: f + textKinds[k].suffix})
			}
		}
	}
	return doc, nil
}

// textProperties are the properties indexed as text under four fields.
var textProperties = []string{fieldTitle, fieldText, fieldAuthor}

// The four fields of a text, in analyzedText.fields order.
const (
	kindExact = iota
	kindFolded
	kindPairs
	kindSigs
	kinds
)

// textKind is one of the four fields of a text: its name's suffix, its
// analyzer, and the indexing options the mapping gives it (textField; only
// the exact field is stored). documentMapping declares the fields from
// this table, and buildDocument fills them.
type textKind struct {
	suffix, analyzer string
	options          index.FieldIndexingOptions
}

func (k textKind) field(property string) *mapping.FieldMapping {
	return textField(property+k.suffix, k.analyzer, k.suffix == "")
}

var textKinds = func() [kinds]textKind {
	out := [kinds]textKind{
		kindExact:  {suffix: "", analyzer: analyzerMarked},
		kindFolded: {suffix: suffixFolded, analyzer: analyzerFolded},
		kindPairs:  {suffix: suffixBigram, analyzer: analyzerBigram},
		kindSigs:   {suffix: suffixSig, analyzer: analyzerSig},
	}
	for k := range out {
		out[k].options = out[k].field("").Options()
	}
	return out
}()

// analyzedText is one text and, once analysed, its terms in each of its
// four fields.
type analyzedText struct {
	value  []byte
	once   sync.Once
	fields [kinds]struct {
		length int // tokens, as Bleve counts them for the field's norm
		freqs  index.TokenFrequencies
	}
}

// analyze runs the analyzers of the four fields (mapping.go) over the text
// at once: vi_nfc and vi_syllables, lowercase, then vi_marked for the exact
// field, and vi_fold followed by nothing, vi_pairs or vi_pair_sigs for the
// others. vi_nfc is skipped: the text is NFC already (newDocument), which
// it would leave as it is.
func (t *analyzedText) analyze() {
	// Lower-casing may write into its input: work on a copy, the value is
	// what is stored.
	input := append([]byte(nil), t.value...)
	tokens := newSyllableTokenizer().Tokenize(input)
	tokens = lowercase.NewLowerCaseFilter().Filter(tokens)
	marked := markedFilter{}.Filter(append(analysis.TokenStream(nil), tokens...))
	t.set(kindExact, marked)
	folded := foldFilter{}.Filter(tokens) // new terms; marked's stay as they were
	common := commonFlags(folded)
	t.set(kindPairs, commonPairs(folded, common))
	t.set(kindSigs, pairSigs(folded, common))
	t.set(kindFolded, folded)
}

func (t *analyzedText) set(k int, tokens analysis.TokenStream) {
	t.fields[k].length = len(tokens)
	t.fields[k].freqs = analysis.TokenFrequency(tokens, nil, textKinds[k].options)
}

// analyzedField is one of the four fields of an analyzedText, as Bleve's
// own text field is to the mapping: the first of the four that scorch
// asks to analyse analyses the text for all of them.
type analyzedField struct {
	text *analyzedText
	kind int
	name string
}

var _ bdoc.Field = (*analyzedField)(nil)

func (f *analyzedField) Name() string                        { return f.name }
func (f *analyzedField) ArrayPositions() []uint64            { return nil }
func (f *analyzedField) Options() index.FieldIndexingOptions { return textKinds[f.kind].options }
func (f *analyzedField) Analyze()                            { f.text.once.Do(f.text.analyze) }
func (f *analyzedField) Value() []byte                       { return f.text.value }
func (f *analyzedField) NumPlainTextBytes() uint64           { return uint64(len(f.text.value)) }
func (f *analyzedField) EncodedFieldType() byte              { return 't' } // read back as text
func (f *analyzedField) AnalyzedLength() int                 { return f.text.fields[f.kind].length }

func (f *analyzedField) AnalyzedTokenFrequencies() index.TokenFrequencies {
	return f.text.fields[f.kind].freqs
}

// Size is Bleve's estimate of the memory the field holds, for its
// accounting: the text, and a token's worth per term. Bleve's own text
// field walks every term and location to count them exactly.
func (f *analyzedField) Size() int {
	n := 64 + len(f.name)
	if f.kind == kindExact {
		n += len(f.text.value) // the text is counted once, with its first field
	}
	return n + 96*len(f.text.fields[f.kind].freqs)
}
