"""Demo seed data for the fictional city of 江川市 (Jiangchuan City).

Everything here is FICTIONAL and exists only for the demo and for tests:
the city, its districts and streets, the departments and their phone
numbers (area code 0999 is not a real Chinese area code). The structure is
modelled on the dispatch catalogues that real 12345 hotlines publish
(Beijing, Jinan, Weifang): a municipal hotline centre, the city's
functional bureaus, public utilities, district governments with their
bureaus, and street offices (街道办事处). The complaint categories follow
the usual two-level 12345 catalogue, and each sub-category names the
functional department that normally owns it (谁主管谁负责).

Plain data only; the categories live in demo_categories.py.
"""

from hotline.seed.demo_categories import CATEGORIES
from hotline.seed.records import AreaSeed, DepartmentSeed

__all__ = ["AREAS", "CATEGORIES", "DEPARTMENTS"]

# ---------------------------------------------------------------------------
# Areas: 4 districts, 19 streets (街道)
# ---------------------------------------------------------------------------

AREAS: tuple[AreaSeed, ...] = (
    # 东湖区 — the old city centre
    AreaSeed("dh", "东湖区", "Donghu District", None),
    AreaSeed("dh-xhj", "西湖街道", "Xihu Subdistrict", "dh"),
    AreaSeed("dh-hbj", "湖滨街道", "Hubin Subdistrict", "dh"),
    AreaSeed("dh-dmj", "东门街道", "Dongmen Subdistrict", "dh"),
    AreaSeed("dh-tyj", "桃园街道", "Taoyuan Subdistrict", "dh"),
    AreaSeed("dh-glj", "鼓楼街道", "Gulou Subdistrict", "dh"),
    # 西山区 — hills, universities, scenic area
    AreaSeed("xs", "西山区", "Xishan District", None),
    AreaSeed("xs-cpj", "翠屏街道", "Cuiping Subdistrict", "xs"),
    AreaSeed("xs-yqj", "玉泉街道", "Yuquan Subdistrict", "xs"),
    AreaSeed("xs-jdj", "金顶街道", "Jinding Subdistrict", "xs"),
    AreaSeed("xs-xyj", "学院路街道", "Xueyuanlu Subdistrict", "xs"),
    # 南江区 — riverside, port and new town
    AreaSeed("nj", "南江区", "Nanjiang District", None),
    AreaSeed("nj-bjj", "滨江街道", "Binjiang Subdistrict", "nj"),
    AreaSeed("nj-nmj", "南门街道", "Nanmen Subdistrict", "nj"),
    AreaSeed("nj-xgj", "新港街道", "Xingang Subdistrict", "nj"),
    AreaSeed("nj-bsj", "白沙街道", "Baisha Subdistrict", "nj"),
    AreaSeed("nj-szj", "沙洲街道", "Shazhou Subdistrict", "nj"),
    # 北塘区 — industrial north
    AreaSeed("bt", "北塘区", "Beitang District", None),
    AreaSeed("bt-htj", "荷塘街道", "Hetang Subdistrict", "bt"),
    AreaSeed("bt-lyj", "柳营街道", "Liuying Subdistrict", "bt"),
    AreaSeed("bt-xhj", "新华街道", "Xinhua Subdistrict", "bt"),
    AreaSeed("bt-xyj", "兴业街道", "Xingye Subdistrict", "bt"),
    AreaSeed("bt-lqj", "龙泉街道", "Longquan Subdistrict", "bt"),
)


# ---------------------------------------------------------------------------
# Departments
# ---------------------------------------------------------------------------

DEPARTMENTS: tuple[DepartmentSeed, ...] = (
    # --- the hotline centre ------------------------------------------------
    DepartmentSeed(
        "centre", "市12345政务服务便民热线中心", "12345热线中心",
        "Jiangchuan 12345 Government Service Hotline Centre",
        "centre", None, None, "0999-88812345",
    ),

    # --- city bureaus (市级职能部门) -----------------------------------------
    DepartmentSeed(
        "cgw", "市城市管理委员会", "市城管委",
        "Municipal Commission of Urban Management",
        "city_bureau", None, None, "0999-87101001",
    ),
    DepartmentSeed(
        "zjw", "市住房和城乡建设委员会", "市住建委",
        "Municipal Commission of Housing and Urban-Rural Development",
        "city_bureau", None, None, "0999-87101002",
    ),
    DepartmentSeed(
        "jtw", "市交通运输委员会", "市交通委",
        "Municipal Commission of Transport",
        "city_bureau", None, None, "0999-87101003",
    ),
    DepartmentSeed(
        "scjgj", "市市场监督管理局", "市市场监管局",
        "Municipal Administration for Market Regulation",
        "city_bureau", None, None, "0999-87101004",
    ),
    DepartmentSeed(
        "rsj", "市人力资源和社会保障局", "市人社局",
        "Municipal Bureau of Human Resources and Social Security",
        "city_bureau", None, None, "0999-87101005",
    ),
    DepartmentSeed(
        "sthjj", "市生态环境局", "市生态环境局",
        "Municipal Bureau of Ecology and Environment",
        "city_bureau", None, None, "0999-87101006",
    ),
    DepartmentSeed(
        "swj", "市水务局", "市水务局",
        "Municipal Water Authority",
        "city_bureau", None, None, "0999-87101007",
    ),
    DepartmentSeed(
        "jw", "市教育委员会", "市教委",
        "Municipal Education Commission",
        "city_bureau", None, None, "0999-87101008",
    ),
    DepartmentSeed(
        "wjw", "市卫生健康委员会", "市卫健委",
        "Municipal Health Commission",
        "city_bureau", None, None, "0999-87101009",
    ),
    DepartmentSeed(
        "mzj", "市民政局", "市民政局",
        "Municipal Bureau of Civil Affairs",
        "city_bureau", None, None, "0999-87101010",
    ),
    DepartmentSeed(
        "gaj", "市公安局", "市公安局",
        "Municipal Public Security Bureau",
        "city_bureau", None, None, "0999-87101011",
    ),
    DepartmentSeed(
        "zrzyj", "市自然资源和规划局", "市规自局",
        "Municipal Bureau of Natural Resources and Planning",
        "city_bureau", None, None, "0999-87101012",
    ),
    DepartmentSeed(
        "ybj", "市医疗保障局", "市医保局",
        "Municipal Healthcare Security Bureau",
        "city_bureau", None, None, "0999-87101013",
    ),
    DepartmentSeed(
        "wlj", "市文化和旅游局", "市文旅局",
        "Municipal Bureau of Culture and Tourism",
        "city_bureau", None, None, "0999-87101014",
    ),

    # --- public utilities (公共服务企业) --------------------------------------
    DepartmentSeed(
        "gdgs", "国网江川供电公司", "江川供电公司",
        "State Grid Jiangchuan Power Supply Company",
        "utility", None, None, "0999-86095598",
    ),
    DepartmentSeed(
        "rqjt", "江川燃气集团有限公司", "江川燃气集团",
        "Jiangchuan Gas Group",
        "utility", None, None, "0999-86096777",
    ),
    DepartmentSeed(
        "zlsjt", "江川自来水集团有限公司", "江川自来水集团",
        "Jiangchuan Water Supply Group",
        "utility", None, None, "0999-86096116",
    ),
    DepartmentSeed(
        "rljt", "江川热力集团有限公司", "江川热力集团",
        "Jiangchuan Heating Group",
        "utility", None, None, "0999-86096069",
    ),
    DepartmentSeed(
        "dxgs", "中国电信江川分公司", "江川电信",
        "China Telecom Jiangchuan Branch",
        "utility", None, None, "0999-86010000",
    ),

    # --- 东湖区 -----------------------------------------------------------------
    DepartmentSeed(
        "dh-gov", "东湖区人民政府", "东湖区政府",
        "Donghu District People's Government",
        "district_gov", None, "dh", "0999-82100000",
    ),
    DepartmentSeed(
        "dh-cgj", "东湖区城市管理综合执法局", "东湖区城管执法局",
        "Donghu District Urban Management and Law Enforcement Bureau",
        "district_bureau", "dh-gov", "dh", "0999-82100101",
    ),
    DepartmentSeed(
        "dh-zjj", "东湖区住房和城乡建设局", "东湖区住建局",
        "Donghu District Housing and Urban-Rural Development Bureau",
        "district_bureau", "dh-gov", "dh", "0999-82100102",
    ),
    DepartmentSeed(
        "dh-scjgj", "东湖区市场监督管理局", "东湖区市场监管局",
        "Donghu District Administration for Market Regulation",
        "district_bureau", "dh-gov", "dh", "0999-82100103",
    ),
    DepartmentSeed(
        "dh-sthj", "市生态环境局东湖分局", "东湖生态环境分局",
        "Donghu Branch of the Municipal Bureau of Ecology and Environment",
        "district_bureau", "dh-gov", "dh", "0999-82100104",
    ),
    DepartmentSeed(
        "dh-xhj", "东湖区西湖街道办事处", "西湖街道",
        "Xihu Subdistrict Office, Donghu District",
        "street_office", "dh-gov", "dh-xhj", "0999-82101001",
    ),
    DepartmentSeed(
        "dh-hbj", "东湖区湖滨街道办事处", "湖滨街道",
        "Hubin Subdistrict Office, Donghu District",
        "street_office", "dh-gov", "dh-hbj", "0999-82101002",
    ),
    DepartmentSeed(
        "dh-dmj", "东湖区东门街道办事处", "东门街道",
        "Dongmen Subdistrict Office, Donghu District",
        "street_office", "dh-gov", "dh-dmj", "0999-82101003",
    ),
    DepartmentSeed(
        "dh-tyj", "东湖区桃园街道办事处", "桃园街道",
        "Taoyuan Subdistrict Office, Donghu District",
        "street_office", "dh-gov", "dh-tyj", "0999-82101004",
    ),
    DepartmentSeed(
        "dh-glj", "东湖区鼓楼街道办事处", "鼓楼街道",
        "Gulou Subdistrict Office, Donghu District",
        "street_office", "dh-gov", "dh-glj", "0999-82101005",
    ),

    # --- 西山区 -----------------------------------------------------------------
    DepartmentSeed(
        "xs-gov", "西山区人民政府", "西山区政府",
        "Xishan District People's Government",
        "district_gov", None, "xs", "0999-83200000",
    ),
    DepartmentSeed(
        "xs-cgj", "西山区城市管理综合执法局", "西山区城管执法局",
        "Xishan District Urban Management and Law Enforcement Bureau",
        "district_bureau", "xs-gov", "xs", "0999-83200101",
    ),
    DepartmentSeed(
        "xs-zjj", "西山区住房和城乡建设局", "西山区住建局",
        "Xishan District Housing and Urban-Rural Development Bureau",
        "district_bureau", "xs-gov", "xs", "0999-83200102",
    ),
    DepartmentSeed(
        "xs-scjgj", "西山区市场监督管理局", "西山区市场监管局",
        "Xishan District Administration for Market Regulation",
        "district_bureau", "xs-gov", "xs", "0999-83200103",
    ),
    DepartmentSeed(
        "xs-sthj", "市生态环境局西山分局", "西山生态环境分局",
        "Xishan Branch of the Municipal Bureau of Ecology and Environment",
        "district_bureau", "xs-gov", "xs", "0999-83200104",
    ),
    DepartmentSeed(
        "xs-cpj", "西山区翠屏街道办事处", "翠屏街道",
        "Cuiping Subdistrict Office, Xishan District",
        "street_office", "xs-gov", "xs-cpj", "0999-83201001",
    ),
    DepartmentSeed(
        "xs-yqj", "西山区玉泉街道办事处", "玉泉街道",
        "Yuquan Subdistrict Office, Xishan District",
        "street_office", "xs-gov", "xs-yqj", "0999-83201002",
    ),
    DepartmentSeed(
        "xs-jdj", "西山区金顶街道办事处", "金顶街道",
        "Jinding Subdistrict Office, Xishan District",
        "street_office", "xs-gov", "xs-jdj", "0999-83201003",
    ),
    DepartmentSeed(
        "xs-xyj", "西山区学院路街道办事处", "学院路街道",
        "Xueyuanlu Subdistrict Office, Xishan District",
        "street_office", "xs-gov", "xs-xyj", "0999-83201004",
    ),

    # --- 南江区 -----------------------------------------------------------------
    DepartmentSeed(
        "nj-gov", "南江区人民政府", "南江区政府",
        "Nanjiang District People's Government",
        "district_gov", None, "nj", "0999-84300000",
    ),
    DepartmentSeed(
        "nj-cgj", "南江区城市管理综合执法局", "南江区城管执法局",
        "Nanjiang District Urban Management and Law Enforcement Bureau",
        "district_bureau", "nj-gov", "nj", "0999-84300101",
    ),
    DepartmentSeed(
        "nj-zjj", "南江区住房和城乡建设局", "南江区住建局",
        "Nanjiang District Housing and Urban-Rural Development Bureau",
        "district_bureau", "nj-gov", "nj", "0999-84300102",
    ),
    DepartmentSeed(
        "nj-scjgj", "南江区市场监督管理局", "南江区市场监管局",
        "Nanjiang District Administration for Market Regulation",
        "district_bureau", "nj-gov", "nj", "0999-84300103",
    ),
    DepartmentSeed(
        "nj-sthj", "市生态环境局南江分局", "南江生态环境分局",
        "Nanjiang Branch of the Municipal Bureau of Ecology and Environment",
        "district_bureau", "nj-gov", "nj", "0999-84300104",
    ),
    DepartmentSeed(
        "nj-bjj", "南江区滨江街道办事处", "滨江街道",
        "Binjiang Subdistrict Office, Nanjiang District",
        "street_office", "nj-gov", "nj-bjj", "0999-84301001",
    ),
    DepartmentSeed(
        "nj-nmj", "南江区南门街道办事处", "南门街道",
        "Nanmen Subdistrict Office, Nanjiang District",
        "street_office", "nj-gov", "nj-nmj", "0999-84301002",
    ),
    DepartmentSeed(
        "nj-xgj", "南江区新港街道办事处", "新港街道",
        "Xingang Subdistrict Office, Nanjiang District",
        "street_office", "nj-gov", "nj-xgj", "0999-84301003",
    ),
    DepartmentSeed(
        "nj-bsj", "南江区白沙街道办事处", "白沙街道",
        "Baisha Subdistrict Office, Nanjiang District",
        "street_office", "nj-gov", "nj-bsj", "0999-84301004",
    ),
    DepartmentSeed(
        "nj-szj", "南江区沙洲街道办事处", "沙洲街道",
        "Shazhou Subdistrict Office, Nanjiang District",
        "street_office", "nj-gov", "nj-szj", "0999-84301005",
    ),

    # --- 北塘区 -----------------------------------------------------------------
    DepartmentSeed(
        "bt-gov", "北塘区人民政府", "北塘区政府",
        "Beitang District People's Government",
        "district_gov", None, "bt", "0999-85400000",
    ),
    DepartmentSeed(
        "bt-cgj", "北塘区城市管理综合执法局", "北塘区城管执法局",
        "Beitang District Urban Management and Law Enforcement Bureau",
        "district_bureau", "bt-gov", "bt", "0999-85400101",
    ),
    DepartmentSeed(
        "bt-zjj", "北塘区住房和城乡建设局", "北塘区住建局",
        "Beitang District Housing and Urban-Rural Development Bureau",
        "district_bureau", "bt-gov", "bt", "0999-85400102",
    ),
    DepartmentSeed(
        "bt-scjgj", "北塘区市场监督管理局", "北塘区市场监管局",
        "Beitang District Administration for Market Regulation",
        "district_bureau", "bt-gov", "bt", "0999-85400103",
    ),
    DepartmentSeed(
        "bt-sthj", "市生态环境局北塘分局", "北塘生态环境分局",
        "Beitang Branch of the Municipal Bureau of Ecology and Environment",
        "district_bureau", "bt-gov", "bt", "0999-85400104",
    ),
    DepartmentSeed(
        "bt-htj", "北塘区荷塘街道办事处", "荷塘街道",
        "Hetang Subdistrict Office, Beitang District",
        "street_office", "bt-gov", "bt-htj", "0999-85401001",
    ),
    DepartmentSeed(
        "bt-lyj", "北塘区柳营街道办事处", "柳营街道",
        "Liuying Subdistrict Office, Beitang District",
        "street_office", "bt-gov", "bt-lyj", "0999-85401002",
    ),
    DepartmentSeed(
        "bt-xhj", "北塘区新华街道办事处", "新华街道",
        "Xinhua Subdistrict Office, Beitang District",
        "street_office", "bt-gov", "bt-xhj", "0999-85401003",
    ),
    DepartmentSeed(
        "bt-xyj", "北塘区兴业街道办事处", "兴业街道",
        "Xingye Subdistrict Office, Beitang District",
        "street_office", "bt-gov", "bt-xyj", "0999-85401004",
    ),
    DepartmentSeed(
        "bt-lqj", "北塘区龙泉街道办事处", "龙泉街道",
        "Longquan Subdistrict Office, Beitang District",
        "street_office", "bt-gov", "bt-lqj", "0999-85401005",
    ),
)
