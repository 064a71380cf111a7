package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/server/config"
)

const learnSummary = `Reports messages (JSON lines, at least "body"; a line's own "label" wins
over -label) to the content model's online layer in a shared store, so that
every engine using that store scores their campaigns accordingly from its
next check: ham undoes a mistaken spam or fraud report. The store is Redis:
-redis ADDR, or the store: section of a serve config (-config FILE). A memory
store would forget the reports when learn exits, so there is none here; to
teach a model offline, label the lines and use msgfilter train.`

// runLearn records reports through an engine on a shared store.
func runLearn(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newVerb("learn", "learn -label fraud|spam|ham (-redis ADDR | -config FILE) [FILE|-]", learnSummary)
	label := fs.String("label", "", "label of the lines without their own: fraud, spam or ham")
	addr := fs.String("redis", "", "Redis address (host:port) of the fleet's store")
	cfgFile := fs.String("config", "", "serve configuration whose store: section names the store")
	rest, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return fs.usageErr("learn takes one input file")
	}
	var store config.Store
	switch {
	case *addr != "" && *cfgFile != "":
		return fs.usageErr("give -redis or -config, not both")
	case *addr != "":
		store = config.Store{Type: "redis", Addrs: []string{*addr}}
	case *cfgFile != "":
		c, err := config.Load(*cfgFile)
		if err != nil {
			return err
		}
		store = c.Store
	default:
		return fs.usageErr("learn needs a shared store (-redis ADDR or -config FILE): a memory store would forget the reports on exit")
	}
	if store.Type != "redis" && store.Type != "redis-cluster" {
		return fs.usageErr("the config's store is %q: learn needs redis or redis-cluster, a memory store would forget the reports on exit", store.Type)
	}
	switch filter.Label(*label) {
	case "", filter.ReportHam, filter.ReportSpam, filter.ReportFraud:
	default:
		return fs.usageErr("-label %q: want fraud, spam or ham", *label)
	}
	in := stdin
	if len(rest) == 1 && rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	s := &service{logger: slog.New(slog.NewTextHandler(stderr, nil)), ctx: ctx}
	defer s.close()
	st, _, err := s.openStore(store)
	if err != nil {
		return err
	}
	engine, err := filter.New(filter.WithStore(st))
	if err != nil {
		return err
	}
	counts := map[filter.Label]int{}
	failed := 0
	r := bufio.NewReaderSize(in, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(r)
		if err == io.EOF {
			break
		}
		if err != nil && err != errLineTooLong {
			return err
		}
		if line = bytes.TrimSpace(line); err == nil && len(line) == 0 {
			continue
		}
		var (
			m   *filter.Message
			lab filter.Label
		)
		if err == nil {
			m, lab, err = filter.DecodeReport(line) // as /v1/report reads it
		}
		if err == nil {
			if lab == "" {
				lab = filter.Label(*label)
			}
			if lab == "" {
				err = fmt.Errorf("no label: give -label or a \"label\" field")
			} else {
				err = engine.Report(ctx, m, lab)
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "line %d: %v\n", n, err)
			continue
		}
		counts[lab]++
	}
	fmt.Fprintf(stdout, "reported %d fraud, %d spam, %d ham; %d lines failed\n",
		counts[filter.ReportFraud], counts[filter.ReportSpam], counts[filter.ReportHam], failed)
	if failed > 0 {
		return fmt.Errorf("%d lines were not reported", failed)
	}
	return nil
}
