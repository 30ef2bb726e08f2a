"""The two-level subject taxonomy of the demo city, modelled on real 12345 catalogues; each
sub-category names the functional department that usually owns it (谁主管、谁负责)."""

from hotline.seed.records import CategorySeed

# ---------------------------------------------------------------------------
# Categories: 12 top levels and their sub-categories
# ---------------------------------------------------------------------------

CATEGORIES: tuple[CategorySeed, ...] = (
    # --- 城市管理 ---------------------------------------------------------------
    CategorySeed("city", "城市管理", "Urban management", None),
    CategorySeed(
        "city.noise-construction", "建筑施工噪声", "Construction noise", "city",
        ("施工", "噪音", "夜间施工", "工地", "施工噪声", "打桩", "机械轰鸣", "半夜施工"),
        "cgw",
    ),
    CategorySeed(
        "city.street-vending", "占道经营", "Street vending and shop-front encroachment", "city",
        ("占道经营", "摆摊", "流动摊贩", "出店经营", "店外经营", "夜市", "小商贩", "占用人行道"),
        "cgw",
    ),
    CategorySeed(
        "city.illegal-construction", "违法建设", "Illegal construction", "city",
        ("违建", "违法建设", "私搭乱建", "加盖", "楼顶加建", "违章建筑", "圈占绿地", "阳光房"),
        "cgw",
    ),
    CategorySeed(
        "city.muck-spill", "渣土撒漏", "Construction waste spills", "city",
        ("渣土", "渣土车", "撒漏", "遗撒", "泥头车", "建筑垃圾", "带泥上路", "扬尘"),
        "cgw",
    ),
    CategorySeed(
        "city.streetlight", "路灯损坏", "Broken street lights", "city",
        ("路灯", "路灯不亮", "灯不亮", "路灯损坏", "路灯白天亮", "灯杆", "照明"),
        "cgw",
    ),
    CategorySeed(
        "city.manhole", "井盖缺失破损", "Missing or damaged manhole covers", "city",
        ("井盖", "井盖缺失", "井盖破损", "窨井", "井盖松动", "雨水箅子", "下水井"),
        "cgw",
    ),
    CategorySeed(
        "city.garbage", "垃圾清运", "Rubbish collection", "city",
        ("垃圾", "垃圾清运", "垃圾桶", "垃圾满了", "垃圾分类", "垃圾站", "臭味", "清扫保洁"),
        "cgw",
    ),
    CategorySeed(
        "city.outdoor-ads", "户外广告与牌匾", "Outdoor advertising and shop signs", "city",
        ("广告牌", "牌匾", "户外广告", "小广告", "横幅", "招牌", "乱贴乱画", "灯箱"),
        "cgw",
    ),
    CategorySeed(
        "city.greening", "园林绿化", "Parks, trees and greenery", "city",
        ("树木", "修剪", "绿化", "绿地", "倒树", "树枝", "毁绿", "公园", "草坪"),
        "cgw",
    ),
    CategorySeed(
        "city.public-toilet", "公共厕所", "Public toilets", "city",
        ("公厕", "公共厕所", "厕所", "卫生间", "公厕脏", "公厕关门"),
        "cgw",
    ),

    # --- 住房 -------------------------------------------------------------------
    CategorySeed("housing", "住房", "Housing", None),
    CategorySeed(
        "housing.property-service", "物业服务", "Property management services", "housing",
        ("物业", "物业费", "物业公司", "物业不作为", "业委会", "小区管理", "保安", "门禁"),
        "zjw",
    ),
    CategorySeed(
        "housing.house-leak", "房屋漏水维修", "Leaking roofs and house repairs", "housing",
        ("漏水", "渗水", "房屋漏雨", "屋顶漏", "墙面渗水", "外墙脱落", "房屋维修", "楼道破损"),
        "zjw",
    ),
    CategorySeed(
        "housing.maintenance-fund", "住宅专项维修资金", "Housing maintenance fund", "housing",
        ("维修基金", "维修资金", "专项维修资金", "使用维修基金", "维修资金退还", "大修"),
        "zjw",
    ),
    CategorySeed(
        "housing.elevator", "电梯故障", "Lift breakdowns", "housing",
        ("电梯", "电梯故障", "电梯困人", "电梯停运", "电梯维保", "加装电梯", "电梯异响"),
        "scjgj",
    ),
    CategorySeed(
        "housing.rental", "房屋租赁与中介", "Renting and estate agents", "housing",
        ("租房", "房东", "押金", "中介", "群租", "长租公寓", "租赁合同", "二房东"),
        "zjw",
    ),
    CategorySeed(
        "housing.new-home", "商品房交付", "New-home delivery disputes", "housing",
        ("交房", "延期交房", "烂尾楼", "开发商", "房屋质量", "精装修", "期房", "购房合同"),
        "zjw",
    ),
    CategorySeed(
        "housing.property-cert", "不动产登记", "Property title registration", "housing",
        ("房产证", "不动产证", "办证难", "不动产登记", "产权证", "过户", "分户"),
        "zrzyj",
    ),

    # --- 交通 -------------------------------------------------------------------
    CategorySeed("transport", "交通", "Transport", None),
    CategorySeed(
        "transport.bus-route", "公交线路与服务", "Bus routes and service", "transport",
        ("公交", "公交车", "公交线路", "公交站", "末班车", "发车间隔", "司机态度", "甩站"),
        "jtw",
    ),
    CategorySeed(
        "transport.taxi", "出租车与网约车", "Taxis and ride-hailing", "transport",
        ("出租车", "网约车", "拒载", "绕路", "打表", "滴滴", "宰客", "司机"),
        "jtw",
    ),
    CategorySeed(
        "transport.road-damage", "道路破损", "Damaged roads", "transport",
        ("道路破损", "坑洼", "路面塌陷", "坑", "路面开裂", "人行道破损", "步道砖", "修路"),
        "jtw",
    ),
    CategorySeed(
        "transport.traffic-signal", "交通信号灯", "Traffic lights", "transport",
        ("红绿灯", "信号灯", "红绿灯坏", "绿灯时间短", "信号灯不亮", "路口", "斑马线"),
        "gaj",
    ),
    CategorySeed(
        "transport.traffic-order", "交通秩序与拥堵", "Traffic order and congestion", "transport",
        ("堵车", "拥堵", "违章", "逆行", "交警", "电动车", "乱停车", "交通事故"),
        "gaj",
    ),
    CategorySeed(
        "transport.parking", "停车管理", "Parking management", "transport",
        ("停车", "停车难", "停车场", "停车收费", "车位", "占用车位", "僵尸车", "充电桩"),
        "jtw",
    ),
    CategorySeed(
        "transport.shared-bike", "共享单车", "Shared bikes", "transport",
        ("共享单车", "单车", "哈啰", "美团单车", "单车乱停", "单车堆放", "押金不退"),
        "jtw",
    ),

    # --- 市场监管 ---------------------------------------------------------------
    CategorySeed("market", "市场监管", "Market regulation", None),
    CategorySeed(
        "market.product-quality", "商品质量", "Product quality", "market",
        ("质量问题", "假货", "伪劣", "三包", "退换货", "商品质量", "以次充好", "缺斤短两"),
        "scjgj",
    ),
    CategorySeed(
        "market.price-fraud", "价格欺诈", "Price fraud", "market",
        ("价格欺诈", "乱收费", "明码标价", "虚假打折", "标价", "天价", "多收钱", "价格虚高"),
        "scjgj",
    ),
    CategorySeed(
        "market.food-safety", "食品安全", "Food safety", "market",
        ("食品安全", "过期", "变质", "吃坏肚子", "食物中毒", "无证餐饮", "后厨", "异物"),
        "scjgj",
    ),
    CategorySeed(
        "market.prepaid-card", "预付卡退费", "Prepaid card refunds", "market",
        ("预付卡", "会员卡", "办卡", "退卡", "退费", "跑路", "健身房", "理发店"),
        "scjgj",
    ),
    CategorySeed(
        "market.unlicensed", "无照经营", "Unlicensed businesses", "market",
        ("无照经营", "无证经营", "营业执照", "黑作坊", "无证", "非法经营"),
        "scjgj",
    ),
    CategorySeed(
        "market.drug-safety", "药品与医疗器械", "Medicines and medical devices", "market",
        ("药品", "假药", "药店", "医疗器械", "保健品", "过期药", "处方药"),
        "scjgj",
    ),

    # --- 劳动社保 ---------------------------------------------------------------
    CategorySeed("labour", "劳动社保", "Labour and social insurance", None),
    CategorySeed(
        "labour.wage-arrears", "拖欠工资", "Unpaid wages", "labour",
        ("拖欠工资", "欠薪", "工资", "讨薪", "农民工工资", "不发工资", "克扣工资", "工钱"),
        "rsj",
    ),
    CategorySeed(
        "labour.social-insurance", "社保缴纳", "Social insurance contributions", "labour",
        ("社保", "五险一金", "不交社保", "社保断缴", "社保转移", "补缴", "社保卡"),
        "rsj",
    ),
    CategorySeed(
        "labour.contract", "劳动合同与劳动关系", "Employment contracts and disputes", "labour",
        ("劳动合同", "辞退", "解除合同", "经济补偿", "加班费", "试用期", "劳动仲裁", "工伤"),
        "rsj",
    ),
    CategorySeed(
        "labour.employment", "就业创业", "Employment and business start-up support", "labour",
        ("就业", "失业金", "失业登记", "招聘", "职业培训", "创业补贴", "灵活就业"),
        "rsj",
    ),
    CategorySeed(
        "labour.pension", "养老金领取", "Pension payments", "labour",
        ("养老金", "退休金", "退休", "养老保险", "领取资格认证", "退休手续"),
        "rsj",
    ),

    # --- 环境保护 ---------------------------------------------------------------
    CategorySeed("environment", "环境保护", "Environmental protection", None),
    CategorySeed(
        "environment.air", "大气污染", "Air pollution", "environment",
        ("空气污染", "废气", "烟囱", "冒黑烟", "异味", "焚烧", "刺鼻气味", "粉尘"),
        "sthjj",
    ),
    CategorySeed(
        "environment.water", "水污染", "Water pollution", "environment",
        ("水污染", "排污", "污水直排", "河水发黑", "河道污染", "死鱼", "偷排", "黑臭水体"),
        "sthjj",
    ),
    # 餐饮油烟 is listed under environment in the catalogue, but enforcement
    # sits with urban management in most cities (as in Beijing).
    CategorySeed(
        "environment.cooking-fumes", "餐饮油烟", "Restaurant cooking fumes", "environment",
        ("油烟", "餐饮油烟", "饭店油烟", "烧烤", "排烟", "油烟机", "露天烧烤"),
        "cgw",
    ),
    CategorySeed(
        "environment.industrial-noise", "工业噪声", "Industrial noise", "environment",
        ("工厂噪音", "工业噪声", "机器声", "风机", "冷却塔", "设备噪音", "厂房"),
        "sthjj",
    ),
    CategorySeed(
        "environment.solid-waste", "固体废物与危险废物", "Solid and hazardous waste", "environment",
        ("危废", "危险废物", "固废", "倾倒", "工业垃圾", "废油", "医疗废物"),
        "sthjj",
    ),
    CategorySeed(
        "environment.radiation", "电磁辐射", "Electromagnetic radiation", "environment",
        ("辐射", "基站", "信号塔", "电磁辐射", "变电站", "高压线"),
        "sthjj",
    ),

    # --- 公用事业（水电气热） --------------------------------------------------
    CategorySeed("utilities", "公用事业（水电气热）", "Utilities (water, power, gas, heating)", None),
    CategorySeed(
        "utilities.water-outage", "停水", "Water supply interruption", "utilities",
        ("停水", "没水", "断水", "停水通知", "自来水", "水管爆裂", "来水时间"),
        "zlsjt",
    ),
    CategorySeed(
        "utilities.water-pressure", "水压低", "Low water pressure", "utilities",
        ("水压低", "水压", "水小", "高层没水", "二次供水", "水流小"),
        "zlsjt",
    ),
    CategorySeed(
        "utilities.water-quality", "水质异常", "Tap water quality", "utilities",
        ("水质", "水发黄", "浑浊", "自来水有味", "水垢", "水有杂质", "水锈"),
        "zlsjt",
    ),
    CategorySeed(
        "utilities.power-outage", "停电", "Power cut", "utilities",
        ("停电", "没电", "断电", "跳闸", "电压不稳", "停电通知", "电表", "电费"),
        "gdgs",
    ),
    CategorySeed(
        "utilities.gas-safety", "燃气泄漏与安全", "Gas leaks and gas safety", "utilities",
        ("燃气", "天然气", "煤气", "漏气", "燃气泄漏", "煤气味", "燃气表", "液化气"),
        "rqjt",
    ),
    CategorySeed(
        "utilities.heating", "供暖不热", "Insufficient heating", "utilities",
        ("暖气", "供暖", "暖气不热", "室温", "取暖费", "供热", "暖气漏水", "报停"),
        "rljt",
    ),
    CategorySeed(
        "utilities.drainage", "排水与积水", "Drainage, sewer overflow and waterlogging", "utilities",
        ("下水道", "堵塞", "污水外溢", "返水", "积水", "排水", "化粪池", "内涝"),
        "swj",
    ),
    CategorySeed(
        "utilities.telecom", "通信网络", "Telecom and broadband", "utilities",
        ("宽带", "网络", "没信号", "手机信号", "网速慢", "光纤", "话费", "电信"),
        "dxgs",
    ),

    # --- 公共服务 ---------------------------------------------------------------
    CategorySeed("public", "公共服务", "Public services", None),
    CategorySeed(
        "public.elderly-care", "养老服务", "Elderly care services", "public",
        ("养老院", "养老", "老年人", "高龄津贴", "居家养老", "老年食堂", "敬老院"),
        "mzj",
    ),
    CategorySeed(
        "public.subsistence", "低保与社会救助", "Minimum living allowance and social assistance", "public",
        ("低保", "救助", "困难补助", "特困", "临时救助", "低保申请", "残疾人补贴"),
        "mzj",
    ),
    CategorySeed(
        "public.hukou", "户籍办理", "Household registration", "public",
        ("户口", "落户", "户籍", "迁户口", "身份证", "居住证", "派出所"),
        "gaj",
    ),
    CategorySeed(
        "public.marriage-funeral", "婚姻登记与殡葬", "Marriage registration and funerals", "public",
        ("结婚登记", "离婚登记", "婚姻登记", "殡葬", "墓地", "殡仪馆", "公墓"),
        "mzj",
    ),
    CategorySeed(
        "public.culture", "公共文化场馆", "Libraries, museums and cultural venues", "public",
        ("图书馆", "博物馆", "文化馆", "演出", "网吧", "娱乐场所", "体育场馆"),
        "wlj",
    ),
    CategorySeed(
        "public.tourism", "旅游投诉", "Tourism complaints", "public",
        ("旅游", "旅行社", "景区", "导游", "强制购物", "门票", "一日游"),
        "wlj",
    ),

    # --- 教育 -------------------------------------------------------------------
    CategorySeed("education", "教育", "Education", None),
    CategorySeed(
        "education.school-fees", "学校收费", "School fees", "education",
        ("学校收费", "学校乱收费", "学费", "资料费", "校服费", "午餐费", "补课费"),
        "jw",
    ),
    CategorySeed(
        "education.off-campus-training", "校外培训", "Off-campus tutoring", "education",
        ("校外培训", "培训机构", "补习班", "课外班", "学科培训", "培训退费", "辅导班"),
        "jw",
    ),
    CategorySeed(
        "education.enrolment", "入学招生", "School admissions", "education",
        ("入学", "招生", "学区", "划片", "幼儿园", "小升初", "转学", "学位"),
        "jw",
    ),
    CategorySeed(
        "education.school-management", "学校管理与师德", "School management and teacher conduct", "education",
        ("老师", "师德", "体罚", "作业多", "在校时间", "校园安全", "食堂", "放学时间"),
        "jw",
    ),

    # --- 医疗卫生 ---------------------------------------------------------------
    CategorySeed("health", "医疗卫生", "Health", None),
    CategorySeed(
        "health.medical-service", "医疗服务", "Hospital and clinic services", "health",
        ("医院", "医生", "看病", "挂号", "服务态度", "医疗纠纷", "误诊", "排队"),
        "wjw",
    ),
    CategorySeed(
        "health.medical-insurance", "医保报销", "Medical insurance reimbursement", "health",
        ("医保", "报销", "医保卡", "异地就医", "医保缴费", "门诊统筹", "大病保险"),
        "ybj",
    ),
    CategorySeed(
        "health.vaccination", "疫苗接种", "Vaccination", "health",
        ("疫苗", "接种", "打疫苗", "预防针", "狂犬疫苗", "接种点", "预约接种"),
        "wjw",
    ),
    CategorySeed(
        "health.illegal-practice", "非法行医", "Unlicensed medical practice", "health",
        ("非法行医", "黑诊所", "无证行医", "医美", "游医", "诊所"),
        "wjw",
    ),

    # --- 社会治安 ---------------------------------------------------------------
    CategorySeed("order", "社会治安", "Public order", None),
    CategorySeed(
        "order.noise-social", "噪音扰民（社会生活）", "Neighbourhood noise", "order",
        ("噪音扰民", "广场舞", "邻居噪音", "装修噪音", "音响", "喇叭", "叫卖", "楼上噪音"),
        "gaj",
    ),
    CategorySeed(
        "order.dogs", "宠物与犬只管理", "Pets and dog control", "order",
        ("狗", "养狗", "遛狗不拴绳", "犬只", "流浪狗", "狗咬人", "宠物", "狗叫"),
        "gaj",
    ),
    CategorySeed(
        "order.security", "治安隐患", "Public security concerns", "order",
        ("治安", "盗窃", "小偷", "打架", "赌博", "可疑人员", "监控", "报警"),
        "gaj",
    ),
    CategorySeed(
        "order.fraud", "电信网络诈骗", "Phone and online fraud", "order",
        ("诈骗", "电信诈骗", "骗子", "网络诈骗", "被骗", "刷单", "冒充客服"),
        "gaj",
    ),

    # --- 其他 -------------------------------------------------------------------
    CategorySeed("other", "其他", "Other", None),
    CategorySeed(
        "other.planning", "规划与土地", "Urban planning and land use", "other",
        ("规划", "拆迁", "征地", "土地", "规划公示", "容积率", "采光", "日照"),
        "zrzyj",
    ),
    CategorySeed(
        "other.flood-control", "河湖与防汛", "Rivers, lakes and flood control", "other",
        ("防汛", "河道", "河湖", "堤坝", "水库", "采砂", "河长"),
        "swj",
    ),
)
