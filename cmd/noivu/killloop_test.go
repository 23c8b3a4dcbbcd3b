package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/internal/simportal"
	"github.com/noivu/noivu/store"
)

// killSeedEnv names the variable that fixes the kill loop's seed, to replay
// the choices of a failed run (the timings still vary with the machine).
const killSeedEnv = "NOIVU_KILL_SEED"

// killsPerCommand is how many SIGKILLs the loop aims at each command.
const killsPerCommand = 8

// TestKillLoopLosesNothing kills `noivu crawl`, `noivu reindex` and `noivu
// serve` (crawling on its own schedule) with SIGKILL at seeded-random moments,
// chosen by progress (requests the portal answered, files the process wrote,
// lines it logged) rather than by the clock. The portal gains articles between
// runs. After every kill, on a copy of data_dir so that the next run starts
// from exactly what the killed one left: the store passes integrity_check,
// no article is stored twice, none that was stored before is lost or changed,
// every capture and the WARC files read back, and the search index, once
// opened and synced as the next command would, holds exactly the store's
// articles. At the end one clean crawl makes the archive equal to an
// uninterrupted crawl of the same portal.
func TestKillLoopLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it 24 times")
	}
	seed := killSeed(t)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6b696c6c))
	bin := crashBinary(t)
	portal := simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 40, Seed: 11})
	srv := httptest.NewServer(portal)
	defer srv.Close()
	dir := t.TempDir()
	cfg := crashConfig(t, dir, srv.URL)
	after := &afterKill{t: t, dir: dir, scratch: filepath.Join(t.TempDir(), "copy")}

	// The first run is a crawl into an empty data_dir; the rest in random order.
	plan := []string{"crawl"}
	rest := make([]string, 0, 3*killsPerCommand)
	for _, c := range []string{"crawl", "reindex", "serve"} {
		n := killsPerCommand
		if c == "crawl" {
			n--
		}
		for range n {
			rest = append(rest, c)
		}
	}
	rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	plan = append(plan, rest...)

	k := &killLoop{t: t, rng: rng, bin: bin, cfg: cfg, dir: dir, portal: portal,
		crawlRequests: 25, rebuildTook: 300 * time.Millisecond, kills: map[string]int{}}
	prev := map[string]string{}
	started := time.Now()
	for i, name := range plan {
		if name != "reindex" {
			portal.AddArticles(1 + rng.IntN(3)) // later crawls have work to do
		}
		moment, ok := k.killOne(name)
		if !ok {
			continue
		}
		cur := after.check(true)
		t.Logf("kill %2d: %-7s %-38s %3d articles", i+1, name, moment, len(cur))
		for id, h := range prev {
			switch got, ok := cur[id]; {
			case !ok:
				t.Errorf("kill %d (%s, %s): article %s was stored before and is lost", i+1, name, moment, id)
			case got != h:
				t.Errorf("kill %d (%s, %s): article %s changed content hash %s -> %s", i+1, name, moment, id, h, got)
			}
		}
		prev = cur
		if t.Failed() {
			t.Fatalf("stopping after kill %d; reproduce the choices with %s=%d", i+1, killSeedEnv, seed)
		}
	}
	total := 0
	for _, c := range []string{"crawl", "reindex", "serve"} {
		total += k.kills[c]
		if k.kills[c] < killsPerCommand/2 {
			t.Errorf("only %d kills of %s landed while it ran", k.kills[c], c)
		}
	}
	if total < 20 {
		t.Errorf("only %d kills landed while a command ran; want at least 20", total)
	}
	t.Logf("%d kills (crawl %d, reindex %d, serve %d) in %s", total, k.kills["crawl"], k.kills["reindex"],
		k.kills["serve"], time.Since(started).Round(100*time.Millisecond))

	// One clean crawl completes the archive and brings the index up to it.
	if out, err := exec.Command(bin, "crawl", "--quiet", "--config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("clean crawl after the kills: %v\n%s", err, out)
	}
	got := after.check(false) // the crawl synced the index itself
	if n := cliSearchTotal(t, bin, cfg); n != len(got) {
		t.Errorf("noivu search finds %d articles, the store holds %d", n, len(got))
	}

	refDir := t.TempDir()
	if out, err := exec.Command(bin, "crawl", "--quiet", "--config", crashConfig(t, refDir, srv.URL)).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted crawl: %v\n%s", err, out)
	}
	want := snapshot(t, refDir)
	if len(want) != len(portal.Articles()) {
		t.Errorf("uninterrupted crawl stored %d articles, the portal has %d", len(want), len(portal.Articles()))
	}
	if missing, extra := diffKeys(want, got); len(missing)+len(extra) > 0 {
		t.Errorf("after the kills: %d articles missing %v, %d extra %v", len(missing), missing, len(extra), extra)
	}
	for id, h := range want {
		if got[id] != "" && got[id] != h {
			t.Errorf("article %s: content hash %s after the kills, %s uninterrupted", id, got[id], h)
		}
	}
	if t.Failed() {
		t.Logf("reproduce the choices with %s=%d", killSeedEnv, seed)
	}
}

// killSeed returns the seed from $NOIVU_KILL_SEED, or a fresh one, and logs it.
func killSeed(t *testing.T) int64 {
	t.Helper()
	if v := os.Getenv(killSeedEnv); v != "" {
		seed, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: not an integer", killSeedEnv, v)
		}
		t.Logf("seed %d (from %s)", seed, killSeedEnv)
		return seed
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d (set %s=%d to replay these choices)", seed, killSeedEnv, seed)
	return seed
}

// killLoop starts the binary and kills it at a chosen moment.
type killLoop struct {
	t        *testing.T
	rng      *rand.Rand
	bin, cfg string
	dir      string
	portal   *simportal.Portal
	kills    map[string]int
	// What runs that were not killed in time showed, to aim the next kills
	// inside a run rather than after it.
	crawlRequests int           // requests of a whole crawl pass
	rebuildTook   time.Duration // from opening the index to the end of reindex
}

// proc is a running binary.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{}
	err            error // once done is closed
}

func (k *killLoop) start(args ...string) *proc {
	k.t.Helper()
	p := &proc{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(k.bin, append(args, "--config", k.cfg)...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		k.t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	return p
}

// waitUntil polls cond until it holds (true) or p exits (false); after
// within it gives up and returns true, so that a run that never gets there
// is still killed.
func (p *proc) waitUntil(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for !cond() {
		select {
		case <-p.done:
			return false
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return true
		}
	}
	return true
}

// sleep waits d, or less when p exits first.
func (p *proc) sleep(d time.Duration) {
	select {
	case <-p.done:
	case <-time.After(d):
	}
}

// kill sends SIGKILL and reports whether the signal ended the process (as
// opposed to the process having exited by itself before).
func (p *proc) kill() bool {
	_ = p.cmd.Process.Kill()
	<-p.done
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	return false
}

// owns reports whether the index's OWNER file names pid: the process has
// taken the index lock.
func (k *killLoop) owns(pid int) func() bool {
	prefix := fmt.Sprintf("pid %d ", pid)
	return func() bool {
		b, _ := os.ReadFile(filepath.Join(k.dir, "index", "OWNER"))
		return strings.HasPrefix(string(b), prefix)
	}
}

// portalGrew reports whether the portal answered n requests since now.
func (k *killLoop) portalGrew(n int) func() bool {
	base := len(k.portal.Log())
	return func() bool { return len(k.portal.Log()) >= base+n }
}

func (k *killLoop) jitter(ms int) time.Duration {
	return time.Duration(k.rng.IntN(ms*1000)) * time.Microsecond
}

// killOne runs the command name and kills it at a moment it picks; it tries
// again (a run that finished before its kill leaves data_dir whole) a few
// times, and reports the moment and whether a kill landed.
func (k *killLoop) killOne(name string) (string, bool) {
	for attempt := 0; attempt < 4; attempt++ {
		moment, killed := k.try(name)
		if killed {
			k.kills[name]++
			return moment, true
		}
		k.t.Logf("%s finished before its kill (%s); again", name, moment)
	}
	return "", false
}

func (k *killLoop) try(name string) (string, bool) {
	const within = 30 * time.Second
	var p *proc
	var moment string
	switch name {
	case "crawl":
		base := len(k.portal.Log())
		p = k.start("crawl")
		switch k.rng.IntN(4) {
		case 0:
			d := k.jitter(150)
			moment = fmt.Sprintf("starting, after %s", d.Round(time.Millisecond))
			p.sleep(d)
		case 1:
			moment = "syncing the index at the end"
			if !p.waitUntil(within, func() bool { return strings.Contains(p.stdout.String(), "total") }) {
				break
			}
			p.sleep(k.jitter(40))
		default:
			n := 1 + k.rng.IntN(max(1, k.crawlRequests))
			moment = fmt.Sprintf("fetching, after request %d", n)
			if p.waitUntil(within, func() bool { return len(k.portal.Log()) >= base+n }) {
				p.sleep(k.jitter(10))
			}
		}
		killed := p.kill()
		if !killed && p.err == nil {
			k.crawlRequests = len(k.portal.Log()) - base
		}
		return moment, killed
	case "reindex":
		p = k.start("reindex")
		if k.rng.IntN(4) == 0 {
			d := k.jitter(150)
			moment = fmt.Sprintf("starting, after %s", d.Round(time.Millisecond))
			p.sleep(d)
			return moment, p.kill()
		}
		opened := time.Now()
		moment = "opening the index"
		if p.waitUntil(within, k.owns(p.cmd.Process.Pid)) {
			opened = time.Now()
			d := k.jitter(int(k.rebuildTook.Milliseconds()) + 1)
			moment = fmt.Sprintf("rebuilding, after %s", d.Round(time.Millisecond))
			p.sleep(d)
		}
		killed := p.kill()
		if !killed {
			k.rebuildTook = max(20*time.Millisecond, time.Since(opened)*9/10)
		}
		return moment, killed
	default: // serve, crawling every second
		p = k.start("serve", "--addr", "127.0.0.1:0", "--schedule", "@every 1s")
		switch k.rng.IntN(4) {
		case 0:
			moment = "opening and syncing the index"
			if p.waitUntil(within, k.owns(p.cmd.Process.Pid)) {
				p.sleep(k.jitter(100))
			}
		case 1:
			n := 1 + k.rng.IntN(20)
			moment = fmt.Sprintf("scheduled crawl, after request %d", n)
			if p.waitUntil(within, k.portalGrew(n)) {
				p.sleep(k.jitter(10))
			}
		case 2:
			moment = "syncing the index after its crawl"
			if p.waitUntil(within, func() bool { return strings.Contains(p.stderr.String(), "scheduled crawl done") }) {
				p.sleep(k.jitter(30))
			}
		default:
			d := k.jitter(1500)
			moment = fmt.Sprintf("serving, %s after listening", d.Round(time.Millisecond))
			if p.waitUntil(within, func() bool { return strings.Contains(p.stdout.String(), "listening on") }) {
				p.sleep(d)
			}
		}
		killed := p.kill()
		if !killed {
			k.t.Fatalf("serve exited by itself: %v\n%s%s", p.err, p.stdout, p.stderr)
		}
		return moment, killed
	}
}

// afterKill checks a data_dir after each kill.
type afterKill struct {
	t            *testing.T
	dir, scratch string
	// Finished WARC files never change: those walked after an earlier kill
	// (name -> size) are not copied nor walked again; records holds theirs.
	walked  map[string]int64
	records map[string]archive.Record
}

// check copies dataDir to a scratch folder, as the killed process left it,
// and checks the copy: the store and the archive (see snapshot), the WARC
// files the next writer recovers, and the index (after the next start's
// sync when sync is set). The copy leaves dataDir itself for the next
// command to recover. It returns the stored articles.
func (c *afterKill) check(sync bool) map[string]string {
	t := c.t
	t.Helper()
	if c.walked == nil {
		c.walked, c.records = map[string]int64{}, map[string]archive.Record{}
	}
	defer os.RemoveAll(c.scratch)
	err := copyDir(c.dir, c.scratch, func(rel string, size int64) bool {
		name, ok := strings.CutPrefix(rel, "warc"+string(filepath.Separator))
		return ok && c.walked[name] == size
	})
	if err != nil {
		t.Fatal(err)
	}
	warc := filepath.Join(c.scratch, "warc")
	names, _ := archive.Files(warc)
	got, walked := snapshotWith(t, c.scratch, c.records)
	for _, name := range names {
		fi, err := os.Stat(filepath.Join(warc, name))
		if err != nil || strings.HasSuffix(name, ".open") {
			continue
		}
		c.walked[name] = fi.Size()
		for id, r := range walked {
			if r.Capture.File == name {
				c.records[id] = r
			}
		}
	}
	checkRecovery(t, c.scratch)
	checkIndex(t, c.scratch, got, sync)
	return got
}

// checkRecovery opens the archive of dataDir for writing, as the next crawl
// does first, and checks what it did to the ".open" files a killed writer
// left: each is finished, reads back whole, and still holds every capture the
// store points into it. snapshot has checked the other files, which recovery
// does not touch.
func checkRecovery(t *testing.T, dataDir string) {
	t.Helper()
	ctx := context.Background()
	warc := filepath.Join(dataDir, "warc")
	before, _ := archive.Files(warc)
	ar, err := archive.Open(ctx, archive.Options{Dir: warc})
	if err != nil {
		t.Fatalf("archive recovery after the kill: %v", err)
	}
	if err := ar.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := archive.Files(warc)
	recovered := filepath.Join(dataDir, "recovered")
	if err := os.MkdirAll(recovered, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range after {
		if strings.HasSuffix(name, ".open") {
			t.Errorf("recovery left %s unfinished", name)
		}
		if slices.Contains(before, name+".open") { // walk it alone below
			if err := os.Rename(filepath.Join(warc, name), filepath.Join(recovered, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	records := map[string]article.Capture{}
	ends := map[string]int64{} // file -> end of its last whole record
	err = archive.Walk(ctx, recovered, func(r archive.Record) error {
		records[r.RecordID] = r.Capture
		ends[r.Capture.File] = max(ends[r.Capture.File], r.Capture.Offset+r.Capture.Length)
		return nil
	})
	if err != nil {
		t.Errorf("recovered WARC files do not read back: %v", err)
	}
	names, _ := archive.Files(recovered)
	for _, name := range names {
		fi, err := os.Stat(filepath.Join(recovered, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() != ends[name] {
			t.Errorf("recovered %s: %d bytes, its last whole record ends at %d: a torn tail is left", name, fi.Size(), ends[name])
		}
	}
	st, err := store.Open(ctx, filepath.Join(dataDir, "noivu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.EachArticle(ctx, "", func(a article.Article) error {
		if _, err := os.Stat(filepath.Join(recovered, a.Capture.File)); err != nil {
			return nil // in a file recovery did not touch
		}
		if c, ok := records[a.Capture.RecordID]; !ok || c != a.Capture {
			t.Errorf("article %s: after recovery its capture %+v is not a whole record (%+v)", a.ID, a.Capture, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
