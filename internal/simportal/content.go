package simportal

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// topic is one field of a Sở Nội vụ's work; labour topics only appear after
// the 1 March 2025 merger with the Sở Lao động - Thương binh và Xã hội.
type topic struct {
	short   string
	objects []string
	labour  bool
}

var topics = []topic{
	{"cải cách hành chính", []string{"công tác cải cách hành chính", "việc rà soát, đơn giản hóa thủ tục hành chính", "chỉ số cải cách hành chính (PAR INDEX)", "mô hình một cửa, một cửa liên thông", "dịch vụ công trực tuyến toàn trình"}, false},
	{"tuyển dụng công chức", []string{"kỳ thi tuyển công chức", "việc xét tuyển viên chức sự nghiệp giáo dục", "kế hoạch tuyển dụng công chức cấp xã", "việc tiếp nhận vào làm công chức"}, false},
	{"thi đua, khen thưởng", []string{"phong trào thi đua yêu nước", "công tác thi đua, khen thưởng", "việc xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh", "hồ sơ đề nghị khen thưởng cấp Nhà nước"}, false},
	{"tổ chức bộ máy", []string{"việc sắp xếp tổ chức bộ máy", "đề án vị trí việc làm", "công tác quản lý biên chế", "tinh giản biên chế theo Nghị định số 29/2023/NĐ-CP"}, false},
	{"văn thư, lưu trữ", []string{"công tác văn thư, lưu trữ", "việc chỉnh lý tài liệu tồn đọng", "số hóa tài liệu lưu trữ lịch sử"}, false},
	{"tín ngưỡng, tôn giáo", []string{"công tác quản lý nhà nước về tín ngưỡng, tôn giáo", "hoạt động của các cơ sở tôn giáo", "việc đăng ký sinh hoạt tôn giáo tập trung"}, false},
	{"chính quyền địa phương", []string{"việc sắp xếp đơn vị hành chính cấp xã", "mô hình chính quyền địa phương hai cấp", "công tác chuẩn bị bầu cử đại biểu Hội đồng nhân dân"}, false},
	{"đào tạo, bồi dưỡng", []string{"công tác đào tạo, bồi dưỡng cán bộ, công chức", "lớp bồi dưỡng kiến thức quản lý nhà nước", "chương trình bồi dưỡng kỹ năng số cho công chức"}, false},
	{"lao động, việc làm", []string{"công tác giải quyết việc làm", "hoạt động đưa người lao động đi làm việc ở nước ngoài theo hợp đồng", "phiên giao dịch việc làm lưu động"}, true},
	{"bảo hiểm xã hội", []string{"chính sách bảo hiểm xã hội tự nguyện", "việc chi trả trợ cấp thất nghiệp", "việc phát triển đối tượng tham gia bảo hiểm xã hội"}, true},
	{"người có công", []string{"chính sách ưu đãi người có công với cách mạng", "việc thăm, tặng quà gia đình chính sách", "công tác tìm kiếm, quy tập hài cốt liệt sĩ"}, true},
	{"tiền lương", []string{"chế độ tiền lương mới", "việc điều chỉnh lương hưu, trợ cấp", "chính sách tiền lương đối với người lao động"}, true},
	{"bình đẳng giới", []string{"công tác bình đẳng giới", "chính sách bảo vệ, chăm sóc trẻ em", "hoạt động giáo dục nghề nghiệp"}, true},
}

var (
	openers = []string{"Thực hiện Kế hoạch số {n}/KH-UBND ngày {d} của UBND tỉnh,", "Theo báo cáo,", "Trong năm {year},",
		"Sáng ngày {dm},", "Để nâng cao hiệu quả công tác,", "Tại hội nghị,", "Bên cạnh đó,", "Thời gian tới,",
		"Phát biểu chỉ đạo tại buổi làm việc,", "Qua kiểm tra,", "Căn cứ Quyết định số {n}/QĐ-UBND ngày {d},", "", ""}
	subjects = []string{"Sở Nội vụ", "UBND tỉnh", "Giám đốc Sở Nội vụ", "các sở, ban, ngành", "UBND các huyện, thị xã, thành phố",
		"Hội đồng Thi đua - Khen thưởng tỉnh", "Phòng Cải cách hành chính", "đoàn kiểm tra", "Ban Chỉ đạo", "lãnh đạo Sở", "UBND {place}"}
	verbs = []string{"đã tổ chức", "tiếp tục triển khai", "đã ban hành văn bản hướng dẫn", "tập trung thực hiện", "đã chỉ đạo thực hiện nghiêm",
		"đề nghị các đơn vị đẩy mạnh", "đã hoàn thành", "kiểm tra, đánh giá", "tổng kết", "phối hợp tổ chức", "quán triệt"}
	complements = []string{"trên địa bàn tỉnh", "năm {year}", "giai đoạn 2021 - 2025", "theo đúng quy định", "bảo đảm công khai, minh bạch",
		"đạt kết quả tích cực", "với {n} đại biểu tham dự", "đạt tỷ lệ {pct}%", "góp phần nâng cao chất lượng phục vụ người dân và doanh nghiệp",
		"trong quý {q}", "tại {place}", "cho {n} cán bộ, công chức"}
	tails = []string{"", "", " Đến nay, đã có {n} hồ sơ được giải quyết đúng hạn.", " Kết quả được công bố công khai trên Cổng thông tin điện tử của Sở.",
		" Hạn chót gửi báo cáo về Sở Nội vụ là ngày {d}.", " Ý kiến của đại biểu tập trung vào những khó khăn, vướng mắc ở cơ sở."}
	titleShapes = []string{"Hội nghị {conf} công tác {topic} năm {year}", "{Place}: {verbT} {object}", "Thông báo kết quả {object} năm {year}",
		"Kiểm tra {object} tại {place}", "Sở Nội vụ {verbT} {object} {when}", "Hướng dẫn {object} {when}",
		"Trao tặng danh hiệu thi đua cho {n} tập thể, cá nhân", "Tập huấn {object} cho cán bộ, công chức {place}", "Nâng cao hiệu quả {object} {when}"}
	confs  = []string{"tổng kết", "triển khai", "sơ kết", "tập huấn", "giao ban"}
	verbsT = []string{"đẩy mạnh", "triển khai", "tăng cường", "rà soát", "thực hiện", "hoàn thành"}
	whens  = []string{"năm {year}", "6 tháng đầu năm {year}", "quý {q} năm {year}", "giai đoạn 2021 - 2025", "trong tình hình mới"}
	people = []string{"Khúc Thị Thu Hằng", "Phạm Thị Thúy Hằng", "Nguyễn Tuyết Mai", "Hồng Hà", "Lê Văn Thành", "Trần Minh Đức", "Đỗ Thị Hương", "Vũ Quang Huy", "Hoàng Thị Ngọc Ánh", "Bùi Đức Long", "Ngô Thị Lan Anh", "Đặng Văn Hải", "Lò Văn Tiến", "Cầm Thị Hoa"}
	units  = []string{"Phòng CCHC&VTLT, Sở Nội vụ", "VPS", "Văn phòng Sở", "Phòng Tổ chức, biên chế và TCPCP", "Ban Thi đua - Khen thưởng", "Phòng Xây dựng chính quyền và CTTN"}
	photos = []string{"Quang cảnh hội nghị", "Lãnh đạo Sở Nội vụ phát biểu tại buổi làm việc", "Các đại biểu tham dự lớp tập huấn", "Trao Bằng khen cho các tập thể, cá nhân"}
)

// gen draws text for one article from its own seeded source, so that an
// article's words never depend on how many others exist.
type gen struct {
	r      *rand.Rand
	t      time.Time
	places []string
}

func newGen(seed int64, seq int, salt uint64, t time.Time, places []string) *gen {
	return &gen{r: rand.New(rand.NewPCG(uint64(seed), uint64(seq)*0x9E3779B97F4A7C15^salt)), t: t, places: places}
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// topic picks the article's field: its category's own field when the
// category has one that existed at the time, any field otherwise.
func (g *gen) topic(want int) topic {
	merged := !g.t.Before(time.Date(2025, 3, 1, 0, 0, 0, 0, vnZone))
	if want >= 0 && (!topics[want].labour || merged) && g.r.IntN(4) != 0 {
		return topics[want]
	}
	for {
		tp := topics[g.r.IntN(len(topics))]
		if !tp.labour || merged {
			return tp
		}
	}
}

// fill replaces the {slots} of a phrase with seeded values.
func (g *gen) fill(s string, tp topic) string {
	if !strings.Contains(s, "{") {
		return s
	}
	y := g.t.Year()
	day := g.t.AddDate(0, 0, -g.r.IntN(60))
	return strings.NewReplacer(
		"{n}", strconv.Itoa(10+g.r.IntN(480)),
		"{d}", fmt.Sprintf("%d/%d/%d", day.Day(), int(day.Month()), day.Year()),
		"{dm}", fmt.Sprintf("%d/%d", day.Day(), int(day.Month())),
		"{year}", strconv.Itoa(y),
		"{pct}", fmt.Sprintf("%d,%d", 80+g.r.IntN(20), g.r.IntN(10)),
		"{q}", []string{"I", "II", "III", "IV"}[int(g.t.Month()-1)/3],
		"{Place}", capitalize(g.pick(g.places)),
		"{place}", g.pick(g.places),
		"{conf}", g.pick(confs),
		"{topic}", tp.short,
		"{object}", g.pick(tp.objects),
		"{verbT}", g.pick(verbsT),
		"{when}", g.fill(g.pick(whens), tp),
	).Replace(s)
}

func (g *gen) sentence(tp topic) string {
	open := g.fill(g.pick(openers), tp)
	s := g.fill(g.pick(subjects), tp) + " " + g.pick(verbs) + " " + g.fill(g.pick(tp.objects), tp) + " " + g.fill(g.pick(complements), tp)
	if open == "" {
		s = capitalize(s)
	} else {
		s = open + " " + s
	}
	return s + "." + g.fill(g.pick(tails), tp)
}

func (g *gen) paragraph(tp topic) string {
	n := 3 + g.r.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.sentence(tp)
	}
	return strings.Join(parts, " ")
}

// lead is the first paragraph; half the leads carry the trap of a date without
// a year ("Ngày 14/11, ...") that matches the publication day.
func (g *gen) lead(tp topic) string {
	s := g.fill(g.pick(subjects), tp) + " " + g.pick(verbs) + " " + g.fill(g.pick(tp.objects), tp) + " " + g.fill(g.pick(complements), tp) + "."
	if g.r.IntN(2) == 0 {
		return fmt.Sprintf("Ngày %d/%d, %s", g.t.Day(), int(g.t.Month()), s)
	}
	return capitalize(s)
}

func (g *gen) title(tp topic) string {
	return capitalize(g.fill(g.pick(titleShapes), tp))
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// shortLead cuts a lead at a word boundary for listing pages.
func shortLead(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	rs := []rune(s)[:max]
	cut := strings.LastIndexByte(string(rs), ' ')
	if cut <= 0 {
		return string(rs) + "..."
	}
	return string(rs)[:cut] + "..."
}
