// The characters of the Chinese captcha: common simplified characters of middling complexity,
// and exactly the characters of the bundled subset font (scripts/subset-cjk-font.ts builds it).
//
// Chosen from the most frequent characters, less: very simple ones (一 二 人 入 八 口 …, which
// warping turns into one another or into strokes), look-alike pairs (己 已, 未 末, 土 士, 日 曰,
// 天 夭, 休 体, 候 侯, 折 析 …), function words people misread in isolation, and the densest
// outlines (which blur at captcha size): kept are those whose outline length is 6 to 11.5 em.

/** 577 characters, in code point order. */
export const CJK_CHARACTERS =
  '且世东丝临举久乐书买乱争云互些交亦产京亮亲从付代件价任份企伊众优伙伟传伤伦伯伸似但位低何余作使例供依促保信修停充先光克党全公兰共关兴兵其具养写军农冰冲决况冷出击分切刑划列刘则刚创初判利别到刺刻前剑办功加务动助劳包北区医半华协单卖占卡印危却压原县参及友双反发受变吉后君否含听吴吸告周味呼命响哥哲圣地场均坏坐块坚坦培堂声多夜央头奇好如妇妈始姑字存孙学宁宇守安宋完宗官定宝实审宣宫家容宽寻导封将尚尽局层居岁岛岸州巨布师希帝带常平年幸庄床序库应店府延异弃弄式引弟张归当录形影征待很徒必忍志忘忙忠快念忽怀态怎怕思急性怪总恐恩息恶惊想戏成或战房所手打托执扩批找承技抓投抗抢护抱担拉拍招括持指损掉控支收改攻放政故效文料方无旧早时明易星显曲更曾月术朱机杀杂权李材村束条杰松构林果枪架某染查标校次欢欧止正此步武死毕毛民气水永求汉江沉沙河油治法波注泽洋洗洛洞洲活派流测济消深混温源灭灯灵炮炸点烈热父爷爸片牙犯状狂独玩环现班生用电男画界疗皇皮益监省知短研示礼社私秋种科积究空穿突立站笑米类系红约纪纯纳织终网罗老考耳职肯背臣至良色艺节花苏若苦英范草荣虎虑虽血行衣补观规视觉言计认讨训议记讲许论设访证评识诉词试诗话该误谈谷负财责败货质贵贸资走赵足身车轮软边达迅迎运近进远连迫述迷迹追退送适逃选途造道郑部采里金针钟长闪队防阳阴阵阶阻阿附际陆陈院除险雨非革音顶项须领食首马骨高鬼鱼齐龙';
