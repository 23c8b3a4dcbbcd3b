package config

import (
	"reflect"
	"strings"
)

// The file schema: what config.yaml may hold, decoded strictly. It is kept
// apart from Config so that the file can say "not given" (nil pointers get
// defaults, an explicit 0 is checked) and so that durations stay strings
// until validation can name the key of a bad one.

type fileSchema struct {
	DataDir    string         `yaml:"data_dir"`
	UserAgent  string         `yaml:"user_agent"`
	BaseURL    string         `yaml:"base_url"`
	Schedule   string         `yaml:"schedule"`
	AdminToken string         `yaml:"admin_token"`
	Crawl      crawlSchema    `yaml:"crawl"`
	Sources    []sourceSchema `yaml:"sources"`
}

type crawlSchema struct {
	Delay        *string `yaml:"delay"`
	Concurrency  *int    `yaml:"concurrency"`
	Timeout      *string `yaml:"timeout"`
	MaxDepth     *int    `yaml:"max_depth"`
	MaxPages     *int    `yaml:"max_pages"`
	MaxBodyBytes *int64  `yaml:"max_body_bytes"`
	RecheckMin   *string `yaml:"recheck_min"`
	RecheckMax   *string `yaml:"recheck_max"`
}

type sourceSchema struct {
	ID                 string          `yaml:"id"`
	Name               string          `yaml:"name"`
	Province           string          `yaml:"province"`
	CurrentProvince    string          `yaml:"current_province"`
	URL                string          `yaml:"url"`
	StartURLs          []string        `yaml:"start_urls"`
	Selectors          selectorsSchema `yaml:"selectors"`
	CABundle           string          `yaml:"ca_bundle"`
	InsecureSkipVerify bool            `yaml:"insecure_skip_verify"`
	Delay              *string         `yaml:"delay"`
	Disabled           bool            `yaml:"disabled"`
}

type selectorsSchema struct {
	Title  string `yaml:"title"`
	Author string `yaml:"author"`
	Date   string `yaml:"date"`
	Body   string `yaml:"body"`
	Links  string `yaml:"links"`
	Next   string `yaml:"next"`
}

// knownKeys lists the keys the schema allows in the mapping at path (a list of
// key names and sequence indexes), in declaration order; nil when path does
// not lead to a mapping of the schema.
func knownKeys(path []any) []string {
	t := schemaType(path)
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		keys = append(keys, yamlKey(t.Field(i)))
	}
	return keys
}

// schemaType returns the type the schema expects at path, pointers removed;
// nil when path leaves the schema.
func schemaType(path []any) reflect.Type {
	t := reflect.TypeFor[fileSchema]()
	for _, seg := range path {
		switch seg := seg.(type) {
		case int:
			if t.Kind() != reflect.Slice {
				return nil
			}
			t = t.Elem()
		case string:
			f, ok := fieldByKey(t, seg)
			if !ok {
				return nil
			}
			t = f.Type
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
	}
	return t
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := range t.NumField() {
		if yamlKey(t.Field(i)) == key {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

func yamlKey(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// suggest returns the known key that key most likely misspells, or "".
func suggest(key string, known []string) string {
	squash := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	}
	for _, k := range known {
		if squash(k) == squash(key) {
			return k // user-agent, UserAgent, useragent
		}
	}
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(key), k); d < bestD && 2*d <= len(key) {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of two neighbours each cost one.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
