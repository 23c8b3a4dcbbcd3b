package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Load reads, validates and completes the config file at path. Relative
// paths inside it resolve against the folder that holds it. A non-empty
// NOIVU_ADMIN_TOKEN in the environment replaces admin_token. Every error is
// an *Error.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		reason := err
		if errors.As(err, &pe) {
			reason = pe.Err
		}
		return nil, &Error{Path: path, Msg: fmt.Sprintf("cannot read: %v", reason), err: err}
	}
	cfg, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	if err := applyEnv(cfg, path, os.LookupEnv); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Parse validates and completes the config held in data. name is the file it
// came from: messages start with it, and relative paths inside the config
// resolve against its folder (the working directory when name has none).
// Every error is an *Error.
func Parse(data []byte, name string) (*Config, error) {
	dir := filepath.Dir(name)
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	root, e := parseTree(data, name)
	if e != nil {
		return nil, e
	}
	var raw fileSchema
	if err := decode(root, &raw); err != nil {
		return nil, yamlError(name, root, err)
	}
	v := &validator{name: name, root: root, dir: dir}
	cfg := v.config(&raw)
	if e := v.first(); e != nil {
		return nil, e
	}
	return cfg, nil
}

// parseTree parses data into the body of its one YAML document, which must be
// a mapping.
func parseTree(data []byte, name string) (ast.Node, *Error) {
	file, err := parse(data)
	if err != nil {
		return nil, yamlError(name, nil, err)
	}
	var bodies []ast.Node
	for _, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		switch doc.Body.(type) {
		case *ast.CommentGroupNode, *ast.CommentNode:
			continue
		}
		bodies = append(bodies, doc.Body)
	}
	if len(bodies) == 0 {
		return nil, &Error{Path: name, Msg: "empty file: want a mapping of settings such as data_dir and sources"}
	}
	if len(bodies) > 1 {
		return nil, &Error{Path: name, Line: lineOf(bodies[1]), Msg: "more than one YAML document: keep one"}
	}
	root := bodies[0]
	switch unwrap(root).(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		if path, tag := badTag(root, nil, 0); tag != nil {
			return nil, &Error{Path: name, Line: lineOf(tag), Key: formatPath(path),
				Msg: "want a list, got " + nodeTypeName(nodeType(unwrap(tag.Value)))}
		}
		return root, nil
	case *ast.NullNode:
		return nil, &Error{Path: name, Line: lineOf(root), Msg: "empty document: want a mapping of settings such as data_dir and sources"}
	}
	return nil, &Error{Path: name, Line: lineOf(root), Msg: "want a mapping of settings such as data_dir and sources at the top level"}
}

// parse and decode call the YAML library. It is fed whatever the user wrote,
// so a panic inside it is turned into an error rather than a crash.
func parse(data []byte) (file *ast.File, err error) {
	defer recoverInto(&err)
	return parser.ParseBytes(data, 0)
}

func decode(root ast.Node, raw *fileSchema) (err error) {
	defer recoverInto(&err)
	return yaml.NodeToValue(root, raw, yaml.DisallowUnknownField())
}

func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("the YAML library failed on this input (%v)", r)
	}
}
