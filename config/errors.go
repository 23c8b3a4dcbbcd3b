package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// Error is every failure of Load and Parse: one line that names the file, the
// line when known and the key path, such as
//
//	config.yaml:14: sources[2].url: missing
//
// The command prints it and exits with status 2.
type Error struct {
	Path string // the config file as given to Load or Parse
	Line int    // 1-based; 0 when unknown
	Key  string // key path such as "sources[2].url"; empty for the file as a whole
	Msg  string // what is wrong, one line
	err  error  // the underlying error, if any
}

// Error returns "path:line: key: msg", leaving out the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		if e.Path == "" {
			b.WriteString("line ")
		} else {
			b.WriteString(":")
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return oneLine(b.String())
}

// Unwrap returns the underlying error, such as a *fs.PathError.
func (e *Error) Unwrap() error { return e.err }

// oneLine collapses line breaks so that an error never spans lines.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// formatPath renders a key path: sources[2].selectors.body.
func formatPath(path []any) string {
	var b strings.Builder
	for _, seg := range path {
		switch seg := seg.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", seg)
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			if isPlainKey(seg) {
				b.WriteString(seg)
			} else {
				b.WriteString(strconv.Quote(seg))
			}
		}
	}
	return b.String()
}

func isPlainKey(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// yamlError turns an error of the YAML library into an *Error, using the
// token it carries for the line and, when root is known, for the key path.
func yamlError(name string, root ast.Node, err error) *Error {
	e := &Error{Path: name, Msg: oneLine(err.Error()), err: err}
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return e
	}
	e.Msg = oneLine(ye.GetMessage())
	if root == nil {
		e.Msg = "bad YAML: " + e.Msg
	}
	tk := ye.GetToken()
	if tk == nil || tk.Position == nil {
		return e
	}
	e.Line = tk.Position.Line
	if path, found := pathAt(root, tk); found {
		e.describe(root, err, path, tk.Value)
	}
	return e
}

// describe words a decoder error about the value at path (literal: its text).
func (e *Error) describe(root ast.Node, err error, path []any, literal string) {
	var (
		unknown *yaml.UnknownFieldError
		typ     *yaml.TypeError
		dup     *yaml.DuplicateKeyError
		over    *yaml.OverflowError
		node    *yaml.UnexpectedNodeTypeError
	)
	switch {
	case errors.As(err, &unknown) && len(path) > 0:
		key := fmt.Sprint(path[len(path)-1])
		parent := path[:len(path)-1]
		if k, line, ok := firstUnknown(root, parent); ok {
			key, e.Line = k, line
		}
		e.Key = formatPath(parent)
		e.Msg = fmt.Sprintf("unknown key %q", key)
		if s := suggest(key, knownKeys(parent)); s != "" {
			e.Msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
	case errors.As(err, &typ):
		e.Key = formatPath(path)
		e.Msg = fmt.Sprintf("want %s, got %s", kindName(typ.DstType), tokenValue(typ.SrcType, literal))
	case errors.As(err, &dup):
		e.Key = formatPath(path)
		e.Msg = "duplicate key"
	case errors.As(err, &over):
		e.Key = formatPath(path)
		e.Msg = fmt.Sprintf("number %s out of range", over.SrcNum)
	case errors.As(err, &node):
		e.Key = formatPath(path)
		e.Msg = fmt.Sprintf("want %s, got %s", nodeTypeName(node.Expected), nodeTypeName(node.Actual))
	default:
		e.Key = formatPath(path)
	}
}

func nodeTypeName(t ast.NodeType) string {
	switch t {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.SequenceType:
		return "a list"
	case ast.NullType:
		return "nothing"
	}
	return "a single value"
}

func nodeType(n ast.Node) ast.NodeType {
	if n == nil {
		return ast.NullType
	}
	return n.Type()
}

// kindName says in words what a schema type expects.
func kindName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "a mapping"
	}
	return t.String()
}

func tokenValue(src reflect.Type, v string) string {
	if src != nil {
		switch src.Kind() {
		case reflect.Map, reflect.Struct:
			return "a mapping"
		case reflect.Slice, reflect.Array:
			return "a list"
		}
	}
	const maxLen = 60
	if r := []rune(v); len(r) > maxLen {
		v = string(r[:maxLen]) + "…"
	}
	return strconv.Quote(v)
}
