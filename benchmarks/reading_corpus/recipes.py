"""How each document of truth.json is made: which builder writes it (and what it states, in which words),
and how it reaches the ministry (born-digital PDF, office file, scanner, phone, fax-like TIFF). Keyed by
the filing's .eml name and the attachment's file name exactly as truth.json spells them."""
from __future__ import annotations


def scan(dpi=200, color="color", **kw):
    d = {"mode": "scan", "dpi": dpi, "color": color, "skew": 0.8, "light": 0.10, "blur": 0.55, "noise": 4.0,
         "q": 70, "producer": "img2pdf"}
    d.update(kw)
    return d


PDF = {"mode": "pdf"}
OFFICE = {"mode": "office"}

FILINGS: dict[str, dict] = {
    "f01_guangdong.eml": {
        "short": "粤", "doc_no": "粤财社〔2023〕18号", "date": "2023年3月23日", "signers": ("陈少华", "林振东"),
        "starts": {"韶关市": (2023, 4)},
        "mail": {"subject": "广东省2023年公共就业服务能力提升示范项目申报材料", "sender": "广东省财政厅社会保障处",
                 "mailer": "Microsoft Outlook 16.0", "names": "rfc2231", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "粤财社〔2023〕18号关于报送2023年公共就业服务能力提升示范项目申报材料的请示.pdf":
                {"src": "cover", "rec": {"selection": "competitive", "others": "广州市、韶关市、湛江市、梅州市", "n_applied": 6,
                                         "money": "wan", "period": "n年"},
                 "out": scan(300, skew=0.8, q=75, meta={"Producer": "Canon iR-ADV C5535 PDF", "Creator": "Canon"})},
            "附件1：韶关市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 8, "period": "range", "period_page": 6, "money": "wan_comma", "money_page": 7},
                 "out": PDF},
            "附件2：韶关市公共就业服务能力提升示范项目资金预算表.pdf":
                {"src": "budget_docx", "rec": {"layout": "single", "fmt": "wan2", "seal_by": "fin"}, "out": scan(200, skew=-1.2)},
            "附件3：中央对地方转移支付项目绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 2, "period": "dash_range"}, "out": scan(200, skew=0.5, q=65)},
            "附件4：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["city_request", "stats", "honor", "photos"]},
                 "out": scan(150, skew=1.5, q=60)},
        },
    },
    "f02_shandong.eml": {
        "short": "鲁", "doc_no": "鲁财社〔2023〕11号", "date": "2023年3月25日", "signers": ("刘建民", "孙立波"),
        "starts": {"青岛市": (2023, 1), "烟台市": (2023, 7)},
        "mail": {"subject": "山东省2023年公共就业服务能力提升示范项目申报材料（青岛市、烟台市）", "sender": "山东省财政厅社保处",
                 "mailer": "Foxmail 7.2.25.228[cn]", "names": "rfc2047", "charset": "gb18030", "subject_charset": "gb18030"},
        "docs": {
            "鲁财社〔2023〕11号.pdf":
                {"src": "cover", "rec": {"selection": "cp", "cp_city": "青岛市", "other_city": "烟台市",
                                         "p2": "青岛市、烟台市均为我省经济大市和人口大市，就业工作基础扎实，公共就业服务网络覆盖城乡，具备实施示范项目的良好条件。"},
                 "out": scan(200, skew=0.6, producer="tesseract")},
            "附件1-1：青岛市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "city": "青岛市", "rec": {"pages": 7, "period": "cn年+year_range", "money": "wan"}, "out": PDF},
            "附件1-2：烟台市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "city": "烟台市", "rec": {"pages": 6, "period": "n个月+range", "period_page": 4, "money": "wan_comma"},
                 "out": scan(200, "gray", skew=-0.7, q=60, producer="pillow")},
            "附件2-1：青岛市资金预算表.xlsx":
                {"src": "budget_xlsx", "city": "青岛市", "rec": {"fmt": "wan2"}, "out": OFFICE},
            "附件2-2：烟台市资金预算表.pdf":
                {"src": "budget_docx", "city": "烟台市", "rec": {"layout": "single", "fmt": "yuan2", "seal_by": "hr"},
                 "out": scan(300, skew=-0.5, q=70)},
            "附件3-1：青岛市绩效目标表.pdf":
                {"src": "targets", "city": "青岛市", "rec": {"pages": 2, "period": "year_range"}, "out": PDF},
            "附件3-2：烟台市绩效目标表.pdf":
                {"src": "targets", "city": "烟台市", "rec": {"pages": 1, "period": "range"}, "out": scan(200, skew=1.1)},
            "附件4：申报材料目录.pdf":
                {"src": "toc", "rec": {"entries": [("青岛市公共就业服务能力提升示范项目实施方案", 7), ("烟台市公共就业服务能力提升示范项目实施方案", 6),
                                                   ("青岛市资金预算表", 1), ("烟台市资金预算表", 1), ("青岛市绩效目标表", 2),
                                                   ("烟台市绩效目标表", 1), ("佐证材料", 3)]}, "out": PDF},
            "附件5：佐证材料（青岛市、烟台市）.pdf":
                {"src": "evidence", "city": "烟台市", "rec": {"pages": ["stats", "honor", "photos"]}, "out": scan(150, skew=-1.8, q=55)},
        },
    },
    "f03_henan.eml": {
        "short": "豫", "doc_no": "豫财社〔2023〕21号", "date": "2023年3月24日", "signers": ("王继红", "赵国强"),
        "starts": {"洛阳市": (2023, 4), "南阳市": (2023, 4)},
        "mail": {"subject": "河南省关于报送2023年公共就业服务能力提升示范项目申报材料的请示", "sender": "河南省财政厅社保处",
                 "mailer": "Coremail Webmail Server Version XT5.0.13", "names": "rfc2047", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "豫财社〔2023〕21号.pdf":
                {"src": "cover", "rec": {"selection": "plain", "cities_text": "洛阳市和南阳市",
                                         "p2": "洛阳市、南阳市均为我省人口大市和产业大市，近年来就业形势总体稳定，公共就业服务体系较为健全，具备实施示范项目的良好条件。"},
                 "out": scan(200, skew=-0.9, q=60, blur=0.8, producer="magick")},
            "洛阳市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "city": "洛阳市", "rec": {"pages": 6, "period": "cn年", "money": "wan"}, "out": PDF},
            "南阳市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "city": "南阳市", "rec": {"pages": 5, "period": "range", "period_lead": "项目实施周期为", "money": "wan"}, "out": PDF},
            "洛阳市资金预算表.pdf":
                {"src": "budget_docx", "city": "洛阳市", "rec": {"layout": "years", "fmt": "wan", "seal_by": "fin"}, "out": scan(200, skew=0.7, producer="pillow")},
            "南阳市资金预算表.pdf":
                {"src": "budget_docx", "city": "南阳市", "rec": {"layout": "single", "fmt": "wan2", "seal_by": "hr"}, "out": scan(200, skew=-1.4)},
            "洛阳市绩效目标表.pdf":
                {"src": "targets", "city": "洛阳市", "rec": {"pages": 1, "period": "dash_range"}, "out": scan(200, skew=0.9, producer="magick")},
            "南阳市绩效目标表.pdf":
                {"src": "targets", "city": "南阳市", "rec": {"pages": 1, "period": "range"}, "out": scan(200, skew=-0.6)},
            "佐证材料.pdf":
                {"src": "evidence", "city": "洛阳市", "rec": {"pages": ["stats", "policies", "text"]}, "out": PDF},
        },
    },
    "f04_hubei.eml": {
        "short": "鄂", "doc_no": "鄂财社函〔2023〕9号", "date": "2023年3月22日", "signers": ("周文斌", ""),
        "starts": {"宜昌市": (2023, 4)},
        "mail": {"subject": "湖北省财政厅关于报送2023年公共就业服务能力提升示范项目申报材料的函", "sender": "湖北省财政厅",
                 "mailer": "Microsoft Outlook 16.0", "names": "rfc2231", "charset": "utf-8", "subject_charset": "gb18030"},
        "docs": {
            "湖北省财政厅关于报送2023年公共就业服务能力提升示范项目申报材料的函.pdf":
                {"src": "cover", "rec": {"joint": False},
                 "out": scan(200, skew=-0.6, header={"as": "raster", "text": "2023/03/22 17:41  湖北省财政厅社会保障处  HP LaserJet MFP M436  第{p}页"})},
            "附件1：宜昌市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 9, "period": "n年", "period_page": 7, "money": "wan", "money_page": 8}, "out": PDF},
            "附件2：资金预算表.pdf":
                {"src": "budget_docx", "rec": {"layout": "single", "fmt": "wan", "unit_in_header": False, "seal_by": "fin"},
                 "out": scan(200, skew=1.0, header={"as": "raster", "text": "2023/03/22 17:42  湖北省财政厅社会保障处  HP LaserJet MFP M436  第{p}页"})},
            "附件3：绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 2, "period": "dash_range"}, "out": scan(200, skew=-0.4)},
            "附件4：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["stats", "honor", "policies"]}, "out": scan(200, "bw_dither", skew=0.9)},
        },
    },
    "f05_zhejiang.eml": {
        "short": "浙", "doc_no": "浙财社〔2023〕15号", "date": "2023年3月25日", "signers": ("钱永明", "徐海燕"),
        "starts": {"温州市": (2023, 4)},
        "mail": {"subject": "浙江省推荐温州市申报2023年公共就业服务能力提升示范项目", "sender": "浙江省财政厅社会保障处",
                 "mailer": "Foxmail 7.2.23.116[cn]", "names": "rfc2047", "charset": "gb18030", "subject_charset": "gb18030"},
        "docs": {
            "浙财社〔2023〕15号关于推荐温州市申报2023年公共就业服务能力提升示范项目的请示.pdf":
                {"src": "cover", "rec": {"title": "浙江省财政厅　浙江省人力资源和社会保障厅关于推荐温州市申报2023年公共就业服务能力提升示范项目的请示",
                                         "money": "yi", "period": "n年"},
                 "out": scan(300, skew=1.2, q=80, producer="pillow")},
            "附件1：温州市实施方案.pdf":
                {"src": "plan", "rec": {"pages": 8, "period": "range", "money": "yi", "others_style": "wan"},
                 "out": scan(200, skew=-0.8, q=65, producer="overlay", meta={"Producer": "ABBYY FineReader PDF 15", "Creator": "ABBYY FineReader PDF 15"})},
            "附件2：温州市资金预算表.pdf":
                {"src": "budget_docx", "rec": {"layout": "single", "fmt": "yuan2", "seal_by": "fin"}, "out": scan(200, skew=0.6)},
            "附件3：温州市绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 1, "period": "dash_range", "landscape": True}, "out": PDF},
            "附件4：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["stats", "policies", "honor", "text", "photos"]}, "out": scan(150, skew=-1.1, q=55)},
        },
    },
    "f06_sichuan.eml": {
        "short": "川", "doc_no": "川财社〔2023〕33号", "date": "2023年3月24日", "signers": ("杨光明", "罗晓丽"),
        "starts": {"绵阳市": (2023, 1)},
        "mail": {"subject": "四川省申报材料（扫描件）", "sender": "四川省财政厅社会保障处",
                 "mailer": "Microsoft Outlook 15.0", "names": "rfc2231", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "扫描件001.pdf":
                {"src": "cover", "rec": {"money": "wan", "period": "cn年+year_range"},
                 "out": scan(200, "gray", skew=-1.0, font_res=True, header={"as": "raster", "text": "2023-03-25 16:21  KONICA MINOLTA bizhub 367  川财社保处  P{p}/{n}"},
                             meta={"Producer": "KONICA MINOLTA bizhub 367", "Creator": "KONICA MINOLTA bizhub 367"})},
            "扫描件002.pdf":
                {"src": "plan", "rec": {"pages": 7, "period": "cn年", "money": "wan"},
                 "out": scan(200, "gray", skew=0.6, font_res=True, header={"as": "raster", "text": "2023-03-25 16:23  KONICA MINOLTA bizhub 367  川财社保处  P{p}/{n}"},
                             meta={"Producer": "KONICA MINOLTA bizhub 367"})},
            "扫描件003.pdf":
                {"src": "budget_xlsx", "rec": {"fmt": "wan", "seal_by": "fin"},
                 "out": scan(200, "gray", skew=-0.5, font_res=True, header={"as": "raster", "text": "2023-03-25 16:25  KONICA MINOLTA bizhub 367  川财社保处  P{p}/{n}"},
                             meta={"Producer": "KONICA MINOLTA bizhub 367"})},
            "扫描件004.pdf":
                {"src": "targets", "rec": {"pages": 2, "period": "year_range"},
                 "out": scan(200, "gray", skew=0.9, font_res=True, header={"as": "raster", "text": "2023-03-25 16:26  KONICA MINOLTA bizhub 367  川财社保处  P{p}/{n}"},
                             meta={"Producer": "KONICA MINOLTA bizhub 367"})},
            "扫描件005.pdf":
                {"src": "evidence", "rec": {"pages": ["stats", "honor", "policies", "text"]},
                 "out": scan(150, "gray", skew=-1.3, q=60, font_res=True, header={"as": "raster", "text": "2023-03-25 16:28  KONICA MINOLTA bizhub 367  川财社保处  P{p}/{n}"},
                             meta={"Producer": "KONICA MINOLTA bizhub 367"})},
        },
    },
    "f07_jiangsu.eml": {
        "short": "苏", "doc_no": "苏财社〔2023〕27号", "date": "2023年3月23日", "signers": ("吴建新", "沈红梅"),
        "starts": {"徐州市": (2023, 4)},
        "mail": {"subject": "江苏省2023年公共就业服务能力提升示范项目申报材料（徐州市）", "sender": "江苏省财政厅社会保障处",
                 "mailer": "Microsoft Outlook 16.0", "names": "rfc2231", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "苏财社〔2023〕27号.pdf":
                {"src": "cover", "rec": {},
                 "out": scan(200, skew=0.7, producer="reportlab", header={"as": "text", "text": "2023-03-24 10:41:07  Canon iR-ADV 4545  苏财社保处  {p}/{n}"})},
            "附件1：徐州市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 12, "period": "n年", "period_page": 9, "money": "wan", "money_page": 10},
                 "out": scan(150, "gray", skew=-0.9, q=50, blur=0.9, noise=7.0)},
            "附件2：徐州市资金预算表.pdf":
                {"src": "budget_xlsx", "rec": {"fmt": "wan2"}, "out": PDF},
            "附件3：徐州市绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 2, "period": "dash_range"}, "out": scan(200, skew=1.3, producer="pillow")},
            "附件4：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["text", "stats", "photos"]}, "out": PDF},
        },
    },
    "f08_hunan.eml": {
        "short": "湘", "doc_no": "湘财社〔2023〕9号", "date": "2023年3月25日", "signers": ("谭志勇", "彭丽华"),
        "starts": {"株洲市": (2023, 4)},
        "mail": {"subject": "湖南省2023年公共就业服务能力提升示范项目申报材料", "sender": "湖南省财政厅社会保障处",
                 "mailer": "Microsoft Outlook 16.0", "names": "rfc2047", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "湘财社〔2023〕9号关于报送2023年公共就业服务能力提升示范项目申报材料的请示.pdf":
                {"src": "cover", "rec": {"money": "cn_upper", "period": "cn年"}, "out": scan(200, skew=-1.6, light=0.16, producer="magick")},
            "附件1：株洲市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 8, "period": "cn年", "period_lead": "项目实施周期为", "money": "wan"}, "out": PDF},
            "附件2：株洲市资金预算表（A3）.pdf":
                {"src": "budget_xlsx", "rec": {"fmt": "wan2", "paper": "A3", "seal_by": "fin"}, "out": scan(200, skew=0.5, q=65)},
            "附件3：株洲市绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 2, "period": "dash_range"}, "out": scan(200, skew=-0.8, producer="pillow")},
        },
    },
    "f09_hebei.eml": {
        "short": "冀", "doc_no": "冀财社〔2023〕40号", "date": "2023年3月21日", "signers": ("高建华", "张立新"),
        "starts": {"保定市": (2023, 4)},
        "mail": {"subject": "河北省报送保定市2023年公共就业服务能力提升示范项目申报材料", "sender": "河北省财政厅社保处",
                 "mailer": "Microsoft Outlook 16.0", "names": "rfc2231", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "关于报送保定市2023年公共就业服务能力提升示范项目申报材料的请示.pdf":
                {"src": "cover", "rec": {"selection": "competitive", "others": "石家庄市、保定市、邯郸市", "n_applied": 3},
                 "out": scan(200, skew=1.1, header={"as": "raster", "text": "03/22/2023 15:08  FAX 0311 87065512  河北省财政厅社保处  P.00{p}"})},
            "附件1：保定市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 10, "period": "n年", "period_page": 8, "money_page": 8}, "out": PDF},
            "附件2：保定市资金预算表.pdf":
                {"src": "budget_docx", "rec": {"layout": "single", "fmt": "wan", "unit_in_header": False, "seal_by": "fin"},
                 "out": scan(200, skew=-0.7, producer="magick")},
            "附件3：保定市绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 2, "period": "dash_range"}, "out": scan(200, skew=0.6, q=40)},
            "附件4：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["stats", "policies", "text", "photos", "text", "stats", "policies", "text", "photos",
                                                     "text", "text", "photos", "stats", "text", "policies", "text", "photos"]}, "out": PDF},
            "联系人信息表.xlsx":
                {"src": "contacts_xlsx", "rec": {}, "out": OFFICE},
        },
    },
    "f10_gansu.eml": {
        "short": "甘", "doc_no": "甘财社〔2023〕12号", "date": "2023年3月24日", "signers": ("马文杰", "李春燕"),
        "starts": {"天水市": (2023, 7)},
        "mail": {"subject": "甘肃省2023年公共就业服务能力提升示范项目申报材料及2022年项目执行情况报告", "sender": "甘肃省财政厅社保处",
                 "mailer": "Coremail Webmail Server Version XT5.0.14", "names": "rfc2047", "charset": "gb18030", "subject_charset": "gb2312"},
        "docs": {
            "甘财社〔2023〕12号.pdf":
                {"src": "cover", "rec": {"money": "cn_upper", "period": "n个月"}, "out": scan(300, skew=2.5, light=0.25, q=70)},
            "附件1：天水市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 7, "period": "n个月+range", "period_page": 5, "money": "wan_comma"},
                 "out": scan(150, skew=-0.9, q=60)},
            "附件2：天水市资金预算表.pdf":
                {"src": "budget_docx", "rec": {"layout": "years", "fmt": "wan2", "seal_by": "fin"}, "out": scan(200, skew=1.9, light=0.2, producer="magick")},
            "附件3：绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 2, "period": "range"}, "out": scan(200, skew=-1.2)},
            "附件4：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["gov_letter", "stats", "photos"]}, "out": scan(150, skew=0.8, q=60, producer="pillow")},
            "附件5：甘肃省2022年公共就业服务能力提升示范项目执行情况报告.docx":
                {"src": "prior", "rec": {"prior_city": "张掖市"}, "out": OFFICE},
        },
    },
    "f11_fujian.eml": {
        "short": "闽", "doc_no": "闽财社〔2023〕7号", "date": "2023年3月24日", "signers": ("郑志强", "黄美玲"),
        "starts": {"厦门市": (2023, 4)},
        "zip": {"name": "福建省2023年示范项目申报材料.zip"},
        "mail": {"subject": "福建省2023年公共就业服务能力提升示范项目申报材料（压缩包）", "sender": "福建省财政厅社会保障处",
                 "mailer": "Foxmail 7.2.25.228[cn]", "names": "rfc2047", "charset": "gb18030", "subject_charset": "gb18030"},
        "docs": {
            "1.福建省财政厅 福建省人力资源和社会保障厅关于报送2023年公共就业服务能力提升示范项目申报材料的请示.pdf":
                {"src": "cover", "rec": {"money": "wan_comma"}, "out": {"mode": "eseal", "meta": {"Producer": "WPS 文字", "Creator": "WPS 文字"}}},
            "2.厦门市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 6, "period": "range", "money": "wan"}, "out": PDF},
            "3.厦门市资金预算表.pdf":
                {"src": "budget_docx", "rec": {"layout": "single", "fmt": "wan2", "seal_by": "fin"}, "out": scan(200, skew=-1.0)},
            "4.厦门市绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 1, "period": "dash_range"}, "out": PDF},
            "5.佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["honor", "stats"]}, "out": scan(150, skew=1.2, q=60)},
        },
    },
    "f12_anhui.eml": {
        "short": "皖", "doc_no": "皖财社〔2023〕19号", "date": "2023年3月25日", "signers": ("何建平", "汪晓东"),
        "starts": {"芜湖市": (2023, 4)},
        "mail": {"subject": "【安徽】公共就业服务能力提升示范项目申报材料", "sender": "安徽省财政厅社保处",
                 "mailer": "iPhone Mail (20D67)", "names": "rfc2231", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "IMG_2031.JPG":
                {"src": "cover", "rec": {"one_page": True}, "out": {"mode": "photo_jpg", "size": (3024, 4032), "q": 85, "iphone": True}},
            "芜湖市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 7, "period": "cn年", "money": "wan"}, "out": PDF},
            "IMG_2034.jpg":
                {"src": "targets", "rec": {"pages": 1, "period": "dash_range"}, "out": {"mode": "photo_jpg", "size": (1920, 2560), "q": 80}},
            "佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["honor", "stats", "policies"]}, "out": {"mode": "photo_pdf", "size": (2448, 3264), "q": 78}},
        },
    },
    "f13_jiangxi.eml": {
        "short": "赣", "doc_no": "赣财社〔2023〕16号", "date": "2023年3月26日", "signers": ("曾志华", "熊卫东"),
        "starts": {"赣州市": (2023, 4)},
        "mail": {"subject": "江西省2023年公共就业服务能力提升示范项目申报材料（正式盖章版）", "sender": "江西省财政厅社保处",
                 "mailer": "Coremail Webmail Server Version XT5.0.14", "names": "rfc2047", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "赣财社〔2023〕16号关于报送申报材料的请示.pdf":
                {"src": "cover", "rec": {}, "out": scan(200, skew=-0.5, producer="tesseract")},
            "附件1：赣州市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 7, "period": "cn个月", "period_lead": "项目实施周期为"}, "out": PDF},
            "附件2：赣州市资金预算表.pdf":
                {"src": "budget_docx", "rec": {"layout": "years", "fmt": "wan", "seal_by": "fin"}, "out": scan(200, skew=0.9, producer="pillow")},
            "附件3：赣州市绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 1, "period": "dash_range"}, "out": scan(200, skew=-1.1)},
            "附件4：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["honor", "stats"]}, "out": scan(150, skew=0.7, q=60, noise=8.0)},
        },
    },
    "f14_shaanxi.eml": {
        "short": "陕", "doc_no": "陕财社〔2023〕24号", "date": "2023年3月23日", "signers": ("党卫民", "冯晓军"),
        "starts": {"宝鸡市": (2023, 4)},
        "mail": {"subject": "陕西省2023年公共就业服务能力提升示范项目申报材料", "sender": "陕西省财政厅社会保障处",
                 "mailer": "Microsoft Outlook 16.0", "names": "rfc2231", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "陕财社〔2023〕24号.tif":
                {"src": "cover", "rec": {"period": "n个月"}, "out": {"mode": "tiff", "dpi": 300, "skew": 0.4}},
            "附件1：宝鸡市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 8, "period": "n个月+range", "money": "wan"},
                 "out": scan(200, "gray", skew=-0.6, q=60, producer="magick")},
            "附件2：宝鸡市资金预算表.pdf":
                {"src": "budget_xlsx", "rec": {"fmt": "wan2"}, "out": PDF},
            "附件3：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["stats", "honor", "photos"]}, "out": scan(150, skew=1.0, q=60)},
        },
    },
    "f15_shanxi.eml": {
        "short": "晋", "doc_no": "晋财社〔2023〕20号", "date": "2023年3月24日", "signers": ("武建军", "白雪梅"),
        "starts": {"长治市": (2023, 4)},
        "mail": {"subject": "山西省2023年公共就业服务能力提升示范项目申报材料", "sender": "山西省财政厅社保处",
                 "mailer": "Coremail Webmail Server Version XT5.0.13", "names": "rfc2047", "charset": "gb18030", "subject_charset": "gb18030"},
        "docs": {
            "晋财社〔2023〕20号.pdf":
                {"src": "cover", "rec": {"unsealed": True}, "out": scan(200, skew=0.9)},
            "附件1：长治市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 6, "period": "range", "money": "wan"}, "out": PDF},
            "长治市资金预算表.png":
                {"src": "budget_docx", "rec": {"layout": "single", "fmt": "yuan2", "seal_by": "fin"}, "out": {"mode": "png", "dpi": 200, "skew": -0.8}},
            "附件3：绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 2, "period": "dash_range"}, "out": scan(200, skew=0.5, producer="pillow")},
            "附件4：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["stats", "honor"]}, "out": scan(150, skew=-0.9, q=60, producer="magick")},
        },
    },
    "f16_liaoning.eml": {
        "short": "辽", "doc_no": "辽财社〔2023〕30号", "date": "2023年3月25日", "signers": ("于海涛", "姜丽娟"),
        "starts": {"大连市": (2023, 4)},
        "mail": {"subject": "辽宁省2023年公共就业服务能力提升示范项目申报材料（大连市）", "sender": "辽宁省财政厅社保处",
                 "mailer": "Microsoft Outlook 16.0", "names": "rfc2231", "charset": "utf-8", "subject_charset": "utf-8"},
        "docs": {
            "辽财社〔2023〕30号.pdf":
                {"src": "cover", "rec": {}, "out": scan(200, skew=-0.8, producer="pillow", meta={"Producer": "EPSON Scan", "Creator": "EPSON Scan"})},
            "附件1：大连市公共就业服务能力提升示范项目实施方案.pdf":
                {"src": "plan", "rec": {"pages": 6, "period": "n年+range", "money": "wan"}, "out": PDF},
            "附件2：大连市资金预算表.pdf":
                {"src": "budget_docx", "rec": {"layout": "single", "fmt": "wan2", "seal_by": "fin"}, "out": scan(200, skew=1.2, q=45)},
            "附件3：大连市绩效目标表.pdf":
                {"src": "targets", "rec": {"pages": 1, "period": "dash_range"}, "out": scan(200, skew=-0.7, producer="magick")},
            "附件4：佐证材料.pdf":
                {"src": "evidence", "rec": {"pages": ["stats", "policies"]}, "out": PDF},
        },
    },
}
