package archive

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// recoverFiles finishes every ".open" file in dir, as a writer killed with
// kill -9 leaves it: the file is cut after its last whole gzip member (so
// readers see only whole records) and renamed to its final name. A file with
// no whole record is removed.
//
// It must only run while no process writes to dir; see Open.
func recoverFiles(ctx context.Context, dir string) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*"+fileSuffix+openSuffix))
	if err != nil {
		return fmt.Errorf("archive: recover %s: %w", dir, err)
	}
	for _, path := range paths {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("archive: recover %s: %w", dir, err)
		}
		if err := recoverFile(path); err != nil {
			return fmt.Errorf("archive: recover %s: %w", path, err)
		}
	}
	return nil
}

func recoverFile(path string) error {
	final := strings.TrimSuffix(path, openSuffix)
	if _, err := os.Stat(final); err == nil {
		return fmt.Errorf("%s exists already", filepath.Base(final))
	}
	end, err := cutTorn(path)
	if err != nil {
		return err
	}
	if end == 0 {
		slog.Warn("archive: removed a leftover file with no whole record", "file", filepath.Base(path))
		return os.Remove(path)
	}
	if err := os.Rename(path, final); err != nil {
		return err
	}
	slog.Info("archive: finished a leftover file", "file", filepath.Base(final), "size", end)
	return nil
}

// cutTorn truncates the file at path after its last whole gzip member and
// returns its new size.
func cutTorn(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	end, err := scanMembers(f, false, nil)
	if err != nil && !errors.Is(err, errTorn) {
		return 0, err
	}
	if err == nil {
		return end, nil
	}
	slog.Warn("archive: cut a torn record", "file", filepath.Base(path), "offset", end, "err", err)
	if err := f.Truncate(end); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	return end, f.Close()
}
