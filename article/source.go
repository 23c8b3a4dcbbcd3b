package article

// Source is one portal as the rest of noivu sees it.
type Source struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Province string `json:"province"`
	// CurrentProvince is the province the historical one was merged into on
	// 1 July 2025; empty when the province kept its name.
	CurrentProvince string `json:"current_province,omitempty"`
	URL             string `json:"url"`
}
