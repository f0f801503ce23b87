package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browser is a headless Chromium driving one tab of the desk page. Its
// console errors, uncaught exceptions and failed loads are collected so
// that each step can require none.
type browser struct {
	t       *testing.T
	ctx     context.Context
	base    string
	mu      sync.Mutex
	console []string
}

// repoRoot is the repository's top folder.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// chromiumPath is Debian's chromium (CHROMIUM_BIN overrides); with
// INTEGRATION=1 a missing browser fails the test, else it is skipped.
func chromiumPath(t *testing.T) string {
	t.Helper()
	exe := os.Getenv("CHROMIUM_BIN")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		msg := fmt.Sprintf("no Chromium at %s: install it with scripts/chromium.sh (make test does)", exe)
		if os.Getenv("INTEGRATION") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return exe
}

// newBrowser starts Chromium with a fresh profile and no network of its
// own (no updates, sync or QUIC), its window 1280×800.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	profile := t.TempDir() // removed after the browser stopped (cleanups run in reverse)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 800),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(acancel)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // the first run starts the browser
		t.Fatalf("starting Chromium: %v", err)
	}
	b := &browser{t: t, ctx: ctx, base: base}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.console = append(b.console, fmt.Sprintf("%s (%s)", m, m.URL))
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// do runs steps within 20 s.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression (awaiting a promise) into T.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("evaluating %.80s: %v", expr, err)
	}
	return v
}

// wait polls a JavaScript condition until it holds (15 s).
func (b *browser) wait(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Boolean("+cond+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.fail("waiting for %s (%s): %v", what, cond, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fail saves a screenshot of the failure and stops the test.
func (b *browser) fail(format string, args ...any) {
	b.t.Helper()
	b.shot("FAILED-" + strings.ReplaceAll(b.t.Name(), "/", "-"))
	b.t.Fatalf(format, args...)
}

// open loads a page address and waits until its scripts ran.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("opening "+path, chromedp.Navigate(b.base+path))
	b.wait("the page to load", `document.readyState === 'complete'`)
}

// url is the tab's address without the origin.
func (b *browser) url() string {
	return eval[string](b, `location.pathname + location.search`)
}

// click clicks the first element matching a CSS selector.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.do("clicking "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// keys sends key presses to the focused element.
func (b *browser) keys(k string) {
	b.t.Helper()
	b.do("typing", chromedp.KeyEvent(k))
}

// drag presses the left button at (x1, y), moves to (x2, y) and releases.
func (b *browser) drag(x1, x2, y float64) {
	b.t.Helper()
	left := func(p *input.DispatchMouseEventParams) {
		p.Button = input.MouseButtonLeft
		p.Buttons = 1
		p.ClickCount = 1
	}
	b.do("dragging",
		chromedp.MouseEvent(chromedp.MousePressed, x1, y, left),
		chromedp.MouseEvent(chromedp.MouseMoved, (x1+x2)/2, y, left),
		chromedp.MouseEvent(chromedp.MouseMoved, x2, y, left),
		chromedp.MouseEvent(chromedp.MouseReleased, x2, y, left))
}

// viewport sets the window's size as a device would.
func (b *browser) viewport(w, h int64, mobile bool) {
	b.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if mobile {
		opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	b.do("setting the viewport", chromedp.EmulateViewport(w, h, opts...))
}

// shot saves a PNG of the viewport under .cache/screenshots (scaled down
// so that the pictures stay small) and returns its path.
func (b *browser) shot(name string) string {
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(repoRoot(), ".cache", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		vp := m.CSSVisualViewport
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng,
			Clip:   &page.Viewport{X: vp.PageX, Y: vp.PageY, Width: vp.ClientWidth, Height: vp.ClientHeight, Scale: 0.75},
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	b.t.Logf("screenshot: %s", path)
	return path
}

// consoleErrors returns and forgets the errors collected so far, less
// those matching one of the allowed substrings.
func (b *browser) consoleErrors(allowed ...string) []string {
	time.Sleep(100 * time.Millisecond) // let the last events arrive
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
next:
	for _, m := range b.console {
		for _, a := range allowed {
			if strings.Contains(m, a) {
				continue next
			}
		}
		out = append(out, m)
	}
	b.console = nil
	return out
}

// axeViolation is one rule axe-core found broken.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axe runs axe-core (installed by scripts/web/axe.sh, pinned) on the page
// and returns its serious and critical violations.
func (b *browser) axe() []axeViolation {
	b.t.Helper()
	axeOnce.Do(func() {
		out, err := exec.Command("bash", filepath.Join(repoRoot(), "scripts", "web", "axe.sh")).Output()
		if err != nil {
			axeErr = fmt.Errorf("scripts/web/axe.sh: %w", err)
			return
		}
		src, err := os.ReadFile(strings.TrimSpace(string(out)))
		axeSource, axeErr = string(src), err
	})
	if axeErr != nil {
		b.t.Fatalf("loading axe-core: %v", axeErr)
	}
	// Evaluated through the protocol, so the page's CSP does not apply.
	eval[bool](b, axeSource+";true")
	raw := eval[string](b, `axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(
		r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
			id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatalf("reading axe's answer: %v", err)
	}
	return vs
}
