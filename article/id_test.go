package article

import "testing"

func TestIDIgnoresWhatDoesNotIdentify(t *testing.T) {
	base := "https://sonoivu.sonla.gov.vn/2014/01/tin-bai.html?id=5&cat=2"
	same := []string{
		"http://sonoivu.sonla.gov.vn/2014/01/tin-bai.html?id=5&cat=2",
		"https://www.sonoivu.sonla.gov.vn/2014/01/tin-bai.html?cat=2&id=5",
		"https://SONOIVU.sonla.gov.vn:443/2014/01/tin-bai.html?id=5&cat=2#comments",
		"https://sonoivu.sonla.gov.vn/2014/01/tin-bai.html?utm_source=zalo&id=5&fbclid=x&cat=2",
	}
	want, err := IDFor(base)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 16 {
		t.Fatalf("IDFor: got %q, want 16 hex digits", want)
	}
	for _, u := range same {
		got, err := IDFor(u)
		if err != nil {
			t.Fatalf("IDFor(%q): %v", u, err)
		}
		if got != want {
			t.Errorf("IDFor(%q) = %s, want %s (same article as %s)", u, got, want, base)
		}
	}
	different := []string{
		"https://sonoivu.sonla.gov.vn/2014/01/tin-bai.html?id=6&cat=2",
		"https://sonoivu.sonla.gov.vn/2014/01/tin-bai-khac.html?id=5&cat=2",
		"https://snv.sonla.gov.vn/2014/01/tin-bai.html?id=5&cat=2",
		"https://sonoivu.sonla.gov.vn:8080/2014/01/tin-bai.html?id=5&cat=2",
	}
	for _, u := range different {
		got, _ := IDFor(u)
		if got == want {
			t.Errorf("IDFor(%q) = %s, same as %s: different pages must differ", u, got, base)
		}
	}
}

func TestCanonicalRejectsRelative(t *testing.T) {
	for _, u := range []string{"", "/2014/01/a.html", "://x", "ftp://a.gov.vn/x", "//a.gov.vn/x"} {
		if _, err := Canonical(u); err == nil {
			t.Errorf("Canonical(%q): want an error", u)
		}
	}
}

func FuzzCanonical(f *testing.F) {
	f.Add("https://www.a.gov.vn/x?b=1&a=2#f")
	f.Add("http://[::1]:80/%zz")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Canonical(s)
		if err != nil {
			return
		}
		// Canonical is idempotent once a scheme is put back.
		c2, err := Canonical("http://" + c)
		if err != nil {
			t.Fatalf("Canonical(%q) = %q which does not parse back: %v", s, c, err)
		}
		if c2 != c {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, c, c2)
		}
	})
}
