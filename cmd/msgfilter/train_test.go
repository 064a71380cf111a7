package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
)

const labelled = `{"body":"Your parcel is held, pay the fee at http://parcel-fee.top/x7","label":"fraud","country":"GB"}
{"body":"Your parcel will be delivered tomorrow between 9 and 13","label":"ham","country":"GB"}
{"body":"WIN a FREE holiday! Text WIN to 80082 now","label":"spam"}

{"body":"Your bank statement is ready in the app","label":"ham"}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTrainWritesALoadableDeterministicModel(t *testing.T) {
	in := writeFile(t, "labelled.jsonl", labelled)
	dir := t.TempDir()
	var files [][]byte
	for _, name := range []string{"a.model", "b.model"} {
		out := filepath.Join(dir, name)
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"train", "-o", out, in}, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("train exit = %d, stderr %q", code, stderr.String())
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := model.Parse(b); err != nil {
			t.Fatalf("the trained model does not load: %v", err)
		}
		files = append(files, b)
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("two trainings on the same input gave different files")
	}
}

func TestTrainHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"train", "-h"}, nil, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "usage: msgfilter train") {
		t.Errorf("train -h = exit %d, stdout %q; want 0 and the usage", code, stdout.String())
	}
}

func TestTrainRejects(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		errPart string
	}{
		{"no output", []string{"train", writeFile(t, "l.jsonl", labelled)}, 2, "-o MODEL"},
		{"flag after the file", []string{"train", writeFile(t, "l.jsonl", labelled), "-nope"}, 2, "usage: msgfilter train"},
		{"nothing to train on", []string{"train", "-o", filepath.Join(t.TempDir(), "m")}, 2, "nothing to train on"},
		{"unknown label", []string{"train", "-o", filepath.Join(t.TempDir(), "m"),
			writeFile(t, "l.jsonl", `{"body":"x","label":"phishing"}`+"\n")}, 1, "line 1"},
		{"ham only", []string{"train", "-o", filepath.Join(t.TempDir(), "m"),
			writeFile(t, "l.jsonl", `{"body":"x","label":"ham"}`+"\n")}, 1, "ham and of spam or fraud"},
		{"calibration without lines", []string{"train", "-o", filepath.Join(t.TempDir(), "m"), "-data", t.TempDir(), "-max-ham", "0.01"}, 2, "-max-ham applies to labelled lines"},
		{"share above 1", []string{"train", "-o", filepath.Join(t.TempDir(), "m"), "-max-ham", "2", writeFile(t, "l.jsonl", labelled)}, 1, "ham share 2"},
		{"one fold", []string{"train", "-o", filepath.Join(t.TempDir(), "m"), "-folds", "1", writeFile(t, "l.jsonl", labelled)}, 1, "1 folds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, nil, &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.errPart) {
				t.Errorf("train %v = exit %d, stderr %q; want exit %d mentioning %q", tc.args[1:], code, stderr.String(), tc.code, tc.errPart)
			}
		})
	}
}

// userTraffic writes n ham and n fraud lines of a user's own traffic.
func userTraffic(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"body":"Plg Yth, pulsa Rp%d.000 telah masuk. Terima kasih","label":"ham"}`+"\n", 10+i)
		fmt.Fprintf(&b, `{"body":"Selamat! Anda menang Rp%d juta, transfer biaya admin ke rek %d sekarang","label":"fraud"}`+"\n", 5+i, 412000+i)
	}
	return writeFile(t, "user.jsonl", b.String())
}

// With enough labelled lines, train prints what they support out of fold
// before the model is deployed; with too few it says why it cannot.
func TestTrainPrintsTheOutOfFoldTable(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines int
		want  []string
	}{
		{"enough lines", 6, []string{"out of fold (5 folds", "label", "fraud>=0.9", "ham 6 0.00%", "fraud 6 100.00%"}},
		{"too few lines", 3, []string{"no out-of-fold table"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := []string{"train", "-o", filepath.Join(t.TempDir(), "m"), userTraffic(t, tc.lines)}
			if code := run(context.Background(), args, nil, &stdout, &stderr); code != 0 {
				t.Fatalf("train exit = %d, stderr %q", code, stderr.String())
			}
			out := strings.Join(strings.Fields(stdout.String()), " ")
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
		})
	}
}
