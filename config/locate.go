package config

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Positions: the syntax tree is kept beside the decoded schema so that an
// error found in either can name its line and key path.

// unwrap looks through anchors and tags to the node they decorate.
func unwrap(n ast.Node) ast.Node {
	for range 100 { // tags on anchors on tags: a bound, not a real limit
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
	return n
}

// entries returns the key/value pairs of a mapping node; nil for any other node.
func entries(n ast.Node) []*ast.MappingValueNode {
	switch v := n.(type) {
	case *ast.MappingNode:
		return v.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}
	}
	return nil
}

// keyName returns a mapping key as the decoder matches it against the schema.
func keyName(k ast.MapKeyNode) string {
	if k == nil {
		return ""
	}
	if mk, ok := k.(*ast.MappingKeyNode); ok && mk.Value != nil { // "? key"
		return fmt.Sprint(mk.Value)
	}
	if s, ok := k.(ast.ScalarNode); ok {
		return fmt.Sprint(s.GetValue())
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

func lineOf(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// lookup follows path (key names and sequence indexes) from root and returns
// the line of the deepest node it reached, so that a missing key is reported
// on the line of the mapping that lacks it.
func lookup(root ast.Node, path ...any) int {
	_, line := follow(root, path)
	return line
}

// follow walks path from root; it returns the node at its end (nil when the
// path leaves the tree) and the line of the deepest node reached.
func follow(root ast.Node, path []any) (ast.Node, int) {
	n := unwrap(root)
	line := lineOf(n)
	for _, seg := range path {
		var next ast.Node
		switch seg := seg.(type) {
		case string:
			for _, mv := range entries(n) {
				if keyName(mv.Key) == seg {
					next = mv.Value
					if l := lineOf(mv.Key); l > 0 {
						line = l
					}
				}
			}
		case int:
			if seq, ok := n.(*ast.SequenceNode); ok && seg >= 0 && seg < len(seq.Values) {
				next = seq.Values[seg]
				if l := lineOf(unwrap(next)); l > 0 {
					line = l
				}
			}
		}
		if next == nil {
			return nil, line
		}
		n = unwrap(next)
	}
	return n, line
}

// firstUnknown returns the first key, in file order, of the mapping at path
// that the schema does not know, with its line. The decoder reports one at
// random when there are several.
func firstUnknown(root ast.Node, path []any) (string, int, bool) {
	n, _ := follow(root, path)
	known := knownKeys(path)
	if n == nil || known == nil {
		return "", 0, false
	}
	for _, mv := range entries(n) {
		if mv.Key == nil || mv.Key.IsMergeKey() {
			continue
		}
		if k := keyName(mv.Key); !slices.Contains(known, k) {
			return k, lineOf(mv.Key), true
		}
	}
	return "", 0, false
}

// pathAt finds the key path of the node that carries tk, preferring the
// deepest match (a block mapping shares its first key's token).
func pathAt(root ast.Node, tk *token.Token) ([]any, bool) {
	if root == nil || tk == nil {
		return nil, false
	}
	return pathIn(unwrap(root), tk, nil, 0)
}

const maxDepth = 200 // deeper trees are not configs; the decoder refuses them too

func pathIn(n ast.Node, tk *token.Token, path []any, depth int) ([]any, bool) {
	if n == nil || depth > maxDepth {
		return nil, false
	}
	if seq, ok := n.(*ast.SequenceNode); ok {
		for i, item := range seq.Values {
			p := append(slices.Clip(path), i)
			if found, ok := pathIn(unwrap(item), tk, p, depth+1); ok {
				return found, true
			}
			if sameToken(item.GetToken(), tk) {
				return p, true
			}
		}
		return nil, false
	}
	for _, mv := range entries(n) {
		p := append(slices.Clip(path), keyName(mv.Key))
		if found, ok := pathIn(unwrap(mv.Value), tk, p, depth+1); ok {
			return found, true
		}
		if (mv.Key != nil && sameToken(mv.Key.GetToken(), tk)) ||
			(mv.Value != nil && sameToken(mv.Value.GetToken(), tk)) {
			return p, true
		}
	}
	return nil, false
}

func sameToken(a, b *token.Token) bool {
	if a == nil || b == nil {
		return false
	}
	if a == b {
		return true
	}
	return a.Position != nil && b.Position != nil &&
		a.Position.Line == b.Position.Line && a.Position.Column == b.Position.Column
}

// badTag finds a tag on something other than a list where the schema wants
// a list ("sources: !x 5"), which makes the YAML library's decoder crash, and
// returns its key path.
func badTag(n ast.Node, path []any, depth int) ([]any, *ast.TagNode) {
	if n == nil || depth > maxDepth {
		return nil, nil
	}
	switch v := n.(type) {
	case *ast.TagNode:
		if t := schemaType(path); t != nil && t.Kind() == reflect.Slice {
			if _, ok := unwrap(v.Value).(*ast.SequenceNode); !ok {
				return path, v
			}
		}
		return badTag(v.Value, path, depth+1)
	case *ast.AnchorNode:
		return badTag(v.Value, path, depth+1)
	case *ast.SequenceNode:
		for i, item := range v.Values {
			if p, tag := badTag(item, append(slices.Clip(path), i), depth+1); tag != nil {
				return p, tag
			}
		}
		return nil, nil
	}
	for _, mv := range entries(n) {
		p := append(slices.Clip(path), keyName(mv.Key))
		if p, tag := badTag(mv.Value, p, depth+1); tag != nil {
			return p, tag
		}
	}
	return nil, nil
}
