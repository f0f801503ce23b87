package feeds

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/retry"
)

// loop polls one feed until ctx ends: at its interval with jitter, and
// after a failure with exponential backoff from the interval up to
// MaxBackoff (or the server's Retry-After, when longer).
func (r *Runner) loop(ctx context.Context, f Feed) {
	log := r.Log.With(zap.String("feed", f.Name))
	interval := r.interval(f)
	// A feed taken over from another replica, or polled before a restart,
	// waits for the poll its state planned.
	wait := time.Duration(0)
	if st, ok := r.State.Feed(f.Name); ok && st.URL == f.URL {
		wait = time.Until(st.NextPoll)
		if wait > interval {
			wait = interval
		}
	}
	for {
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if ctx.Err() != nil {
			return
		}
		st, err := r.pollOnce(ctx, f, log)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			wait = retry.Backoff{Min: interval, Max: max(r.Settings.MaxBackoff, interval)}.Delay(st.Errors)
			var he *HTTPError
			if errors.As(err, &he) && he.RetryAfter > wait {
				wait = he.RetryAfter
			}
			log.Warn("feed poll failed", zap.Int("consecutive_errors", st.Errors), zap.Int("status", st.LastStatus),
				zap.Duration("retry_in", wait), zap.Error(err))
		} else {
			wait = jitter(interval, float64(r.Settings.JitterPercent)/100)
		}
		st.NextPoll = time.Now().Add(wait).UTC()
		if err := r.saveFeed(ctx, st); err != nil && ctx.Err() == nil {
			log.Error("saving feed state failed", zap.Error(err))
		}
	}
}

// interval is the feed's interval, never below MinInterval.
func (r *Runner) interval(f Feed) time.Duration {
	return max(time.Duration(f.Interval), r.Settings.MinInterval)
}

// jitter spreads d by ±frac, so feeds with one interval do not poll in step.
func jitter(d time.Duration, frac float64) time.Duration {
	if frac <= 0 {
		return d
	}
	return d + time.Duration((rand.Float64()*2-1)*frac*float64(d))
}

// pollOnce fetches the feed and publishes what is new. The state it
// returns holds the outcome; the caller saves it with the next poll time.
func (r *Runner) pollOnce(ctx context.Context, f Feed, log *zap.Logger) (FeedState, error) {
	st, _ := r.State.Feed(f.Name)
	if st.URL != f.URL {
		// A new URL starts without the old validators.
		st = FeedState{Name: f.Name, Items: st.Items, Seq: st.Seq}
	}
	st.Name, st.URL, st.Owner, st.LastPoll = f.Name, f.URL, r.Settings.Owner, time.Now().UTC()
	fail := func(reason string, err error) (FeedState, error) {
		st.Errors++
		st.LastError = err.Error()
		r.metrics.errors.WithLabelValues(f.Name, reason).Inc()
		r.metrics.polls.WithLabelValues(f.Name, "error").Inc()
		r.metrics.lastStatus.WithLabelValues(f.Name).Set(float64(st.LastStatus))
		return st, fmt.Errorf("polling feed %s: %w", f.Name, err)
	}
	h, err := f.header()
	if err != nil {
		return fail("config", err)
	}
	fctx, cancel := context.WithTimeout(ctx, r.Settings.FetchTimeout)
	res, err := r.fetch.get(fctx, f.URL, h, st.ETag, st.LastModified)
	cancel()
	st.LastStatus = res.Status
	var he *HTTPError
	switch {
	case errors.As(err, &he):
		return fail("http", err)
	case errors.Is(err, ErrTooLarge):
		return fail("too_large", err)
	case err != nil:
		return fail("fetch", err)
	}
	r.metrics.lastStatus.WithLabelValues(f.Name).Set(float64(res.Status))
	if res.Status == http.StatusNotModified {
		r.metrics.polls.WithLabelValues(f.Name, "not_modified").Inc()
		return r.succeeded(f, st), nil
	}
	p, err := parseFeed(f, res.Body, res.ContentType)
	if err != nil {
		return fail("parse", err)
	}
	n, err := r.publish(ctx, f, p, log)
	st.Items += int64(n)
	if err != nil {
		return fail("publish", err)
	}
	r.forget(ctx, f, p, log)
	// Validators are saved only once every item is published: a crash in
	// between fetches the whole feed again and skips what was published.
	st.ETag, st.LastModified = res.ETag, res.LastModified
	result := "unchanged"
	if n > 0 {
		result = "new"
		log.Info("feed items published", zap.Int("items", n), zap.Int("in_feed", len(p.Entries)))
	}
	r.metrics.polls.WithLabelValues(f.Name, result).Inc()
	return r.succeeded(f, st), nil
}

func (r *Runner) succeeded(f Feed, st FeedState) FeedState {
	st.Errors, st.LastError, st.LastSuccess = 0, "", time.Now().UTC()
	r.metrics.lastSuccess.WithLabelValues(f.Name).Set(float64(st.LastSuccess.Unix()))
	return st
}

func (r *Runner) saveFeed(ctx context.Context, st FeedState) error {
	st.Seq++
	return r.State.PutFeed(ctx, st)
}

// candidate is an entry whose revision was not published yet.
type candidate struct {
	a   *newsroomv1.Article
	rev string
}

// publish sends the feed's new items and new revisions to the raw topic,
// then records their revisions in the state topic. It returns how many it
// published.
func (r *Runner) publish(ctx context.Context, f Feed, p parsed, log *zap.Logger) (int, error) {
	source := f.Source
	if source == "" {
		source = p.Title
	}
	if source == "" {
		source = f.Name
	}
	lang := p.Language
	if lang == "" {
		lang = f.Language
	}
	now := time.Now()
	var cands []candidate
	for _, e := range p.Entries {
		in := e.In
		if in.Source == "" {
			in.Source = source
		}
		if in.Language == "" {
			in.Language = lang
		}
		a, err := article.Build(in, now, record.NewTraceID())
		if err != nil {
			r.metrics.errors.WithLabelValues(f.Name, "invalid_item").Inc()
			log.Warn("invalid feed item skipped", zap.String("article_id", in.ID), zap.String("url", in.URL),
				zap.String("title", in.Title), zap.Error(err))
			continue
		}
		rev := itemRevision(a)
		if r.State.Seen(a.GetId(), rev) {
			continue
		}
		if e.SummaryOnly && f.fullText() && r.full != nil {
			a = r.withFullText(ctx, in, a, now, log)
		}
		cands = append(cands, candidate{a: a, rev: rev})
	}
	if len(cands) == 0 {
		return 0, nil
	}
	// One feed at a time past this point, so the same item in two feeds
	// of this replica is published once.
	r.publishMu.Lock()
	defer r.publishMu.Unlock()
	var batch []candidate
	for _, c := range cands {
		if !r.State.Seen(c.a.GetId(), c.rev) {
			batch = append(batch, c)
		}
	}
	if len(batch) == 0 {
		return 0, nil
	}
	msgs := make([]kafka.Message, 0, len(batch))
	for _, c := range batch {
		m, err := record.EncodeArticle(c.a)
		if err != nil {
			return 0, fmt.Errorf("encoding item %s: %w", c.a.GetId(), err)
		}
		msgs = append(msgs, m)
	}
	if err := r.Publisher.Write(ctx, msgs...); err != nil {
		return 0, fmt.Errorf("publishing %d items: %w", len(msgs), err)
	}
	seen := make(map[string]ItemState, len(batch))
	for _, c := range batch {
		seen[c.a.GetId()] = ItemState{Rev: c.rev, Feed: f.Name, At: now.UTC()}
		log.Debug("feed item published", zap.String("article_id", c.a.GetId()), zap.String("trace_id", c.a.GetTraceId()))
	}
	r.metrics.published.WithLabelValues(f.Name).Add(float64(len(batch)))
	if err := r.State.PutItems(ctx, seen); err != nil {
		// Published but not recorded: the next poll publishes the same
		// revisions again, which the pipeline takes as duplicates.
		return len(batch), fmt.Errorf("recording %d published items: %w", len(batch), err)
	}
	return len(batch), nil
}

// itemRevision is the revision of what the feed says about an item: the
// content with the canonical link and without the source name (two feeds
// link and name one story differently), before any full-text fetch (a page changes more often than its item).
func itemRevision(a *newsroomv1.Article) string {
	u, err := article.CanonicalURL(a.GetUrl())
	if err != nil {
		u = a.GetUrl()
	}
	return article.Revision(&newsroomv1.Article{Url: u, Title: a.GetTitle(), Body: a.GetBody(),
		Language: a.GetLanguage(), PublishedAt: a.GetPublishedAt()})
}

// withFullText replaces the summary by the linked page's article text when
// extraction finds one longer than the summary; else a is returned as is.
func (r *Runner) withFullText(ctx context.Context, in article.Input, a *newsroomv1.Article, now time.Time, log *zap.Logger) *newsroomv1.Article {
	fctx, cancel := context.WithTimeout(ctx, r.Settings.FullTextTimeout)
	defer cancel()
	text, err := r.full.extract(fctx, in.URL)
	switch {
	case errors.Is(err, errNoArticle):
		r.metrics.fullText.WithLabelValues("no_article").Inc()
		log.Info("no article on the linked page, keeping the summary", zap.String("article_id", a.GetId()), zap.String("url", in.URL))
		return a
	case err != nil:
		r.metrics.fullText.WithLabelValues("error").Inc()
		log.Warn("full text fetch failed, keeping the summary", zap.String("article_id", a.GetId()), zap.Error(err))
		return a
	}
	if len(text) <= len(a.GetBody()) {
		r.metrics.fullText.WithLabelValues("no_article").Inc()
		return a
	}
	in.Body = text
	full, err := article.Build(in, now, a.GetTraceId())
	if err != nil {
		r.metrics.fullText.WithLabelValues("error").Inc()
		log.Warn("full text rejected, keeping the summary", zap.String("article_id", a.GetId()), zap.Error(err))
		return a
	}
	r.metrics.fullText.WithLabelValues("ok").Inc()
	return full
}

// forget deletes the records of items the feed published more than
// ItemRetention ago and no longer lists, so that the state topic and every
// replica's memory stay bounded. An item forgotten while another feed
// still lists it is published again under its id: one document still.
func (r *Runner) forget(ctx context.Context, f Feed, p parsed, log *zap.Logger) {
	present := make(map[string]bool, len(p.Entries))
	for _, e := range p.Entries {
		if e.In.ID != "" {
			present[e.In.ID] = true
		}
	}
	ids := r.State.stale(f.Name, present, time.Now().Add(-r.Settings.ItemRetention))
	if len(ids) == 0 {
		return
	}
	if err := r.State.DeleteItems(ctx, ids); err != nil {
		log.Warn("forgetting old items failed, retrying at the next poll", zap.Int("items", len(ids)), zap.Error(err))
		return
	}
	log.Info("old items forgotten", zap.Int("items", len(ids)))
}
