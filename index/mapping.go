package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/mapping"
)

// mappingVersion names the analyzers and fields below. Change it with them:
// an index built under another version asks for `noivu reindex`
// (ErrReindex) instead of answering with a mix of old and new terms.
//
// vi-2: the exact fields hold only the syllables that have diacritics;
// facets are counted from one keyword field (source, province and month:
// facets.go), which replaces the year and month fields and the doc values
// of source and province; the tokenizer is vi_syllables (the same tokens
// as Bleve's unicode tokenizer, found faster).
//
// vi-3: the pair field holds only the pairs of two common syllables
// (common.go); the folded fields keep positions, on which every other
// phrase is matched, narrowed by the signatures of its pairs (F_sig).
const mappingVersion = "vi-3"

// The analyzers, by name.
const (
	analyzerExact  = "vi_exact"  // NFC, lower case, syllables; diacritics kept
	analyzerMarked = "vi_marked" // the same, only the syllables that have diacritics
	analyzerFolded = "vi_folded" // the same, diacritics removed and đ → d
	analyzerBigram = "vi_bigram" // folded pairs of common syllables: what makes phrases fast
	analyzerSig    = "vi_sig"    // signatures of the other pairs: what narrows the other phrases
	analyzerKey    = "vi_key"    // a whole value, folded: "Đắk Lắk" → "dak lak"
)

// Field names. Each text field is indexed four times under one property:
// F (exact, only syllables with diacritics: the others are in F_folded
// as they are), F_folded (with positions), F_bigram (pairs of common
// syllables, with positions) and F_sig (signatures of the other pairs).
const (
	fieldURL         = "url"
	fieldTitle       = "title"
	fieldText        = "text"
	fieldAuthor      = "author"
	fieldSource      = "source"
	fieldProvince    = "province"
	fieldCurProvince = "current_province"
	fieldPublished   = "published"
	fieldDateOnly    = "date_only"
	fieldFacet       = "facet" // source, province and month in one value, for facets

	suffixFolded = "_folded"
	suffixBigram = "_bigram"
	suffixSig    = "_sig"
	suffixKey    = "_key"
)

// analyzers declares the Vietnamese analysis as data. There is no stop list:
// English stop words such as "an", "to", "do", "no" and "me" are Vietnamese
// syllables (an toàn, to lớn, do đó, no đủ, mẹ) and must stay searchable.
var analyzers = []struct {
	name   string
	config map[string]interface{}
}{
	{analyzerExact, analyzerConfig(syllableTokenizerID, lowercase.Name)},
	{analyzerMarked, analyzerConfig(syllableTokenizerID, lowercase.Name, markedTokenFilter)},
	{analyzerFolded, analyzerConfig(syllableTokenizerID, lowercase.Name, foldTokenFilter)},
	{analyzerBigram, analyzerConfig(syllableTokenizerID, lowercase.Name, foldTokenFilter, bigramTokenFilter)},
	{analyzerSig, analyzerConfig(syllableTokenizerID, lowercase.Name, foldTokenFilter, sigTokenFilter)},
	{analyzerKey, analyzerConfig(single.Name, lowercase.Name, foldTokenFilter)},
}

func analyzerConfig(tokenizer string, filters ...string) map[string]interface{} {
	return map[string]interface{}{
		"type":          custom.Name,
		"char_filters":  []string{nfcCharFilter},
		"tokenizer":     tokenizer,
		"token_filters": filters,
	}
}

// newMapping returns the index mapping: one document type, nothing dynamic.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	for _, a := range analyzers {
		if err := im.AddCustomAnalyzer(a.name, a.config); err != nil {
			return nil, err
		}
	}
	im.DefaultAnalyzer = analyzerExact
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	im.DefaultMapping = documentMapping()
	return im, nil
}

func documentMapping() *mapping.DocumentMapping {
	dm := bleve.NewDocumentStaticMapping()
	stored := func(fm *mapping.FieldMapping) *mapping.FieldMapping {
		fm.Index, fm.Store = false, true
		return fm
	}
	dm.AddFieldMappingsAt(fieldURL, stored(bleve.NewTextFieldMapping()))
	for _, f := range textProperties {
		var fms []*mapping.FieldMapping
		for _, k := range textKinds {
			fms = append(fms, k.field(f))
		}
		dm.AddFieldMappingsAt(f, fms...)
	}
	for _, f := range []string{fieldSource, fieldProvince, fieldCurProvince} {
		dm.AddFieldMappingsAt(f, keywordField(f, true), textField(f+suffixKey, analyzerKey, false))
	}
	// Facets are counted from this field's postings (facets.go).
	dm.AddFieldMappingsAt(fieldFacet, keywordField(fieldFacet, false))
	published := bleve.NewDateTimeFieldMapping()
	published.Store, published.DocValues = true, true
	dm.AddFieldMappingsAt(fieldPublished, published)
	dm.AddFieldMappingsAt(fieldDateOnly, stored(bleve.NewBooleanFieldMapping()))
	return dm
}

// textField is an analyzed field; only the exact one is stored, for hits
// and snippets. Positions (term vectors) are kept only where phrases are
// matched, the folded and pair fields: they are a third of an index's
// size and of its build time, and the exact field is only asked for terms.
func textField(name, analyzer string, store bool) *mapping.FieldMapping {
	fm := bleve.NewTextFieldMapping()
	fm.Name, fm.Analyzer, fm.Store = name, analyzer, store
	fm.IncludeTermVectors = analyzer == analyzerBigram || analyzer == analyzerFolded
	fm.SkipFreqNorm = analyzer == analyzerSig // only asked which articles hold a signature
	fm.IncludeInAll, fm.DocValues = false, false
	return fm
}

// keywordField is a whole value, for filters and facets.
func keywordField(name string, store bool) *mapping.FieldMapping {
	fm := bleve.NewKeywordFieldMapping()
	fm.Name, fm.Analyzer, fm.Store = name, keyword.Name, store
	fm.IncludeInAll, fm.IncludeTermVectors, fm.DocValues = false, false, false
	return fm
}
