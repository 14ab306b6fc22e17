package dialog

import (
	"regexp"
	"strings"
)

// HarmKind names what an owner asked the cat to help with that would hurt
// someone: the "kind" of a refusal (daemon: brain "refusal").
type HarmKind string

// Kinds of harmful request. When words fit more than one, the first in
// HarmKinds wins.
const (
	HarmWeapons  HarmKind = "weapons"  // explosives, guns or weapons, hurting or killing a person
	HarmPoison   HarmKind = "poison"   // poisoning a person or an animal
	HarmDrugging HarmKind = "drugging" // drugging or sedating someone, exact amounts of dangerous mixes
	HarmTheft    HarmKind = "theft"    // breaking in, picking locks, shoplifting, stealing, robbing
	HarmFraud    HarmKind = "fraud"    // scams, impersonation, someone else's accounts or messages, fakes
)

// HarmKinds lists every kind in the order DetectHarmfulRequest decides in.
func HarmKinds() []HarmKind {
	return []HarmKind{HarmWeapons, HarmPoison, HarmDrugging, HarmTheft, HarmFraud}
}

// A harmful request is asking (how, tell me, help me, write, which, how
// much ...) and something that hurts someone else, the harm within one
// sentence, the asking anywhere in the words (a request is often a
// sentence of its own: "Which tablets? I want him asleep."). Either alone
// is everyday talk: "how do I make a bath bomb?", "a burglar was caught
// down the road", "my ex hacked my email". Words of protection or of the
// victim's side anywhere ("how do I keep burglars out?", "怎么防诈骗") rule
// the words out. The patterns run on lower-cased text with ’ folded to '.
// Compiled regexps are immutable.
var (
	reEnAsk = regexp.MustCompile(`\bif i wanted to\b|\bwhere (?:do|should|would|can|could) (?:i|you)\b|\basking for a friend\b|^\s*(?:[\w' ]{1,30}, )?(?:what|what's|whats|which|where|who|how|is|are|can|could|would|will|should|do|does|did|tell|give|show|teach|help|write|find|explain|list|recommend|suggest|name|best|quickest|easiest|fastest|simplest|cheapest|safest)\b|\bhow (?:do|does|can|could|would|should|might|will|did) (?:i|we|you|one|someone|somebody|a person|people)\b|` +
		`\bhow (?:to|much|many|long|best|exactly)\b|\bhow'?d i\b|` +
		`\b(?:tell|show|teach|help|give|get) (?:me|us)\b|\b(?:write|draft|make|compose|put together|whip up|knock up|word) (?:me |us )?(?:a|an|the|some|one)\b|` +
		`\bwhat(?:'s|s| is| are|'re)? (?:the )?(?:best|easiest|quickest|fastest|simplest|safest|surest|cheapest|cleverest|smartest|right) (?:way|method|trick|spot|place|time|part|bit|thing|stuff|stuff|amount|dose|kind)\b|` +
		`\bwhat (?:poison|chemicals?|pills?|tablets?|drugs?|dose|amount|stuff|kind|sort|would|could|should|do i|can i|tools?|weed ?killer|household)\b|` +
		`\bwhich (?:poison|chemicals?|pills?|tablets?|drugs?|locks?|tools?|one|ones|plants?|household|window|door|shops?|stores?)\b|` +
		`\bwhere (?:can|could|do|would|might|should) (?:i|we|you|one) (?:buy|get|find|order|hide|get hold of)\b|` +
		`\b(?:can|could|would|will|should) (?:i|you|we)\b|\bi (?:want|need|wanna|'d like|would like|intend|plan|mean) to\b|\bi (?:want|need) (?:something|someone|a way|help|a)\b|\bi (?:want|need) you to\b|` +
		`\bis there (?:a|any) (?:way|trick|chance)\b|\bany (?:tips|ideas|tricks|advice|way)\b|\b(?:recipe|instructions|method|steps|tips|guide|tutorial) (?:for|to|on)\b|\bstep by step\b|` +
		`\blet'?s\b|\bwalk me through\b|\bexplain how\b|\bspell out\b|\bwhat do i (?:need|use|put|add|mix|say|write)\b|\bwhat should i (?:use|put|add|mix|say|write)\b|\bwhat'?ll it take\b|\bwould it take\b`)
	// Protection, reporting, being the victim, or a story: not a request to harm.
	reEnNotHarm = regexp.MustCompile(`\b(?:protect|prevent|keep (?:burglars|thieves|intruders|scammers|strangers|them|people|foxes|cats|squirrels|pigeons|mice|rats|slugs|birds|the \w+) (?:out|away|off)|keep (?:me|us|myself|my \w+|the house|my home|my money|my account|it) safe|stop (?:\w+ ){0,2}(?:from|getting|breaking|stealing)|avoid|report|recogni[sz]e|without harming|tell (?:if|whether)|safe from|` +
		`scammed|been robbed|got robbed|was robbed|burgled|been hacked|got hacked|was hacked|fall for|falling for|fell for|is it true|used to|famous for|history of|in my drink|watch out for|look out for|(?:getting|get|been) spiked|dangerous (?:to|for)|i'?m worried|without (?:\w+ ){0,3}(?:that )?hurt(?:ing)?|is (?:that|this|it) a scam|a scam if|spiked my|knocked out (?:playing|in|at|during|by)|got knocked out|green tea|gunpowder tea|mojito|poisonous to (?:cats|dogs|pets|kittens|puppies|birds|horses|children|kids|animals)|safe (?:round|around|for|near|with)|without poisoning|stop (?:\w+ ){0,2}(?:pinching|stealing|nicking|taking)|kick (?:them|him|her) off|my (?:netflix|email|bank|facebook|own) account|won'?t harm|not harm|safe for|(?:doctor|gp|pharmacist|chemist|nurse|hospital)(?:'s)? (?:has |have )?(?:given|prescribed|says|said|told)|should i take (?:it|them|my)|hacked my|get (?:it|them) back|(?:someone|somebody)'?s? (?:has )?(?:pickpocketed|stolen|nicked|taken|hacked|pinched) my|what (?:is|are) (?:\w+ ){0,2}(?:phishing|scams?)|explain what (?:phishing|a scam|scams?) (?:is|are)|warning me|warns me|programme|program|drama|soap|on (?:the )?telly|on tv|watching|watched|did you see|i bought|receipt|safely|dig (?:it|them) out|warn|beware|defend|fend off|` +
		`deter|secure|lock up|safer|safety|get rid of the (?:weeds|slugs|mice|rats|ants|wasps|moss|mould|mold|smell|stain|rust)|` +
		`\b(?:kill|get rid of|treat|clear|poison)(?: \w+){0,3} (?:weeds|slugs|snails|pests|aphids|greenfly|moss|bugs|ants|wasps|mice|rats|flies|fleas|spiders|nettles|brambles|fungus|mould|mold|woodworm|moths)\b|film|movie|novel|book|the story of|tell me (?:a|the) story|is (?:it|this|that) (?:genuine|real|legit)|genuine|episode|tv show|the show|series|detective|documentary|news|video game|board game|crossword|quiz)\b`)

	// What an English request must hold besides the asking. A strong
	// term is harm on its own ("a bomb", "spike her drink", "shoplift");
	// a means or a deed needs a victim or secrecy too ("pills" is not
	// harm, "crush pills into his dinner without him knowing" is).
	reEnWeaponsStrong = regexp.MustCompile(`\b(?:pipe |nail |car |letter |petrol |dirty |fire ?)?bombs?\b|\bexplosives?\b|\bexplod(?:e|es|ing)\b|\bmolotov|\bgrenades?\b|\bnapalm\b|\bdetonators?\b|\bgunpowder\b|\bthermite\b|\bincendiar|\bricin\b|\bnerve agent|` +
		`\bblow (?:\w+ ){0,3}up\b|\bgo up in flames\b|\bset (?:fire|light) to (?:her|his|their|the|a|someone|somebody|next door)|\bburn (?:down )?(?:her|his|their|the neighbou?rs?'?|someone'?s|somebody'?s) (?:house|home|flat|car|shed|garage|door)|` +
		`\bmake it look like\b|\b(?:3d[- ]?print(?:ing)?|make|build|buy|get|convert|assemble|get hold of|order)\b[^.?!]{0,30}\b(?:guns?|firearms?|pistols?|rifles?|shotguns?|real bullets|silencers?|crossbows?|flick knives|switchblades?|knuckle ?dusters?)\b|` +
		`\bbrake (?:lines?|pipes?|cables?)\b|\b(?:real|live) (?:rounds|bullets|ammo)\b|\bsnap (?:\w+'?s? )?neck\b|\b(?:leave|turn) the gas on\b|\bgas (?:leak|build up)\b|\bblow out on\b|\bstart a fire (?:in|at|on)\b|\barson\b|\bfertili[sz]er\b[^.?!]{0,40}\b(?:bang|blow|explo)|\bproper bang\b|\btake a wall out\b|\bpoison(?:ing)? the (?:food|cakes?|drinks?|water|punch|buffet|soup|tea|coffee)\b|\b(?:lethal|deadly|fatal|killing) dose\b|\bstop (?:[\w']+ ){0,2}heart\b|\b(?:doesn'?t|dont|don'?t|won'?t|never) get (?:back )?up\b|\bmost damage\b|\bbones? (?:break|to break)\b|\bshank\b|\bgo(?:es)? through a (?:thick )?(?:\w+ )?(?:jacket|coat)\b|\bwheel nuts\b|\bwheel (?:comes|come) off\b|\bgo(?:es)? up when\b|\bburn (?:[\w']+ ){0,3}(?:house|home|flat|car|shed|garage|door)s? down\b|\bburn down (?:[\w']+ ){0,3}(?:house|home|flat|car|shed)|\bkill (?:them|him|her|someone|somebody) for sure\b|\bstays? down\b|\blook like an accident\b|\bget away with (?:it|murder|killing)\b`)
	reEnWeaponsDeed = regexp.MustCompile(`\b(?:kill|killing|murder|stab|shoot|strangle|smother|choke|beat (?:\w+ )?up|batter|injure|maim|cripple|run (?:\w+ ){0,2}over|hit|bash|thump|punch|knife|attack|hurt|harm|finish (?:\w+ )?off|trap|rig|make (?:\w+ ){0,2}trip|snap|mess with|collapses?|tamper(?:ing)? with|mess with|damage|sabotage|loosen|push (?:\w+ ){0,2}(?:down|off|under|in front)|sort (?:\w+ )?out once and for all|seriously injure|put (?:\w+ )?in hospital)\b`)
	reEnNotWeapons  = regexp.MustCompile(`\bbath ?bombs?\b|\bbomb of a\b|\bphoto ?bomb|\b(?:was|is|it's|that's|were|are) (?:the|a) bomb\b|\bbombed\b|\bbombers?\b|\bcost(?:s)? a bomb\b|\bsex bomb|\bgunpowder plot\b|\bblow up (?:a |the |some )?(?:balloons?|photos?|pictures?|lilo|airbed|paddling pool|tyres?|tires?|mattress|inflatable)|\bblew up at\b|\bblow up at\b`)

	reEnPoisonStrong = regexp.MustCompile(`\bpoison(?:s|ed|ing|ous)?\b|\bfoxglove\b|\bnightshade\b|\bhemlock\b|\boleander\b|\bcontaminate\b|\btamper with (?:the )?(?:food|buffet|drink|drinks|water)\b|\ballergic\b|\binsulin\b|\barsenic\b|\bcyanide\b|\bstrychnine\b|\bantifreeze\b|\banti-freeze\b|\bslug pellets\b|\brat poison\b|\buntraceable\b|\bundetectable\b|\bdeadly\b|\bhardest (?:\w+ ){0,3}to detect\b|\bcoroner\b`)
	reEnNotPoison    = regexp.MustCompile(`\b(?:don'?t|not|won'?t|never) poison\b|\bfood poisoning\b|\bpoison ivy\b|\bpoison oak\b|\bpoison(?:ed|ing)? (?:myself|me)\b|\bare (?:\w+ ){1,3}(?:poisonous|deadly)\b|\bis (?:it|this|that|\w+) (?:poisonous|deadly)\b|\bpoison control\b|\bpoison cent(?:re|er)\b|\bpick your poison\b|\bname your poison\b|\bpoisonous (?:to|for) (?:cats|dogs|pets|birds|children|kids|animals|horses|wildlife|rabbits|chickens)\b|\bare (?:[\w ]{1,30}) poisonous\b(?:[^.?!]{0,20}(?:cats|dogs|kids|children|pets))?|\bif (?:my|the|a) (?:cat|dog|child|grandson|granddaughter) (?:eats|ate|has eaten)\b`)
	reEnPoisonMeans  = regexp.MustCompile(`\b(?:chemicals?|cleaning products?|bleach|weed ?killer|pesticides?|insecticides?|berries|mushrooms|something|stuff|anything|what)\b[^.?!]{0,120}\b(?:put|slip|tip|pour|lace|mix|add|hide|sprinkle|bake|spike|mash|stir|crush|grind|sneak)\b|\blace(?:d)? (?:\w+ ){0,3}with\b|\b(?:mushrooms|berries|plants?)\b[^.?!]{0,40}\bfor (?:his|her|their|my \w+'?s)\b|\blace (?:the|their|his|her|a|some) \w+|\b(?:bleach|chemicals?|cleaning products?|weed ?killer|antifreeze|mushrooms|berries)\b[^.?!]{0,20}\bin (?:someone'?s|somebody'?s|his|her|their|a) (?:drink|food|tea|coffee|stew|dinner|flask|mug|cup)|\bmake (?:\w+ ){0,3}(?:ill|sick|poorly)\b|\b(?:put|slip|tip|pour|lace|mix|add|hide|sprinkle|bake)\b[^.?!]{0,40}\b(?:chemicals?|cleaning products?|bleach|weed ?killer|pesticides?|berries|mushrooms)\b`)
	reEnPoisonHarm   = regexp.MustCompile(`\b(?:kill|kills|killing|die|dead|drop dead|sick|ill|poorly|stop (?:[\w']+ ){0,2}heart|wake up|get rid of|for good|permanently|fastest|deadly|doesn'?t wake|don'?t wake|won'?t wake|coroner|post-mortem|autopsy|detect|show up|water bowl|food bowl)\b`)

	reEnDruggingStrong = regexp.MustCompile(`\bspik(?:e|ed|ing)\b|\bsedat(?:e|ed|ing)\b|\bdope (?:the|my|his|her|someone|him|them)\b|\bdrug (?:someone|somebody|him|her|them|a person|people|my|the|his|her)\b|\bknock(?:ed|ing)? (?:\w+ ){0,3}(?:out|unconscious)\b|\bknock-?out drinks?\b|\bknockout\b|\bpass(?:es)? out\b|\blose consciousness\b|\bunconscious\b|\bwon'?t remember\b|\bcan'?t remember (?:anything|a thing)\b|\brohypnol\b|\broofies\b|\bchloroform\b|\bghb\b`)
	reEnDruggingMeans  = regexp.MustCompile(`\b(?:pills?|tablets?|gummies|cough syrup|insulin|patches|drops|sleeping aids?|give (?:her|him|them|someone|somebody)|lorazepam|clonazepam|alprazolam|xanax|zolpidem|ambien|oxycodone|tramadol|fentanyl|benadryl|nytol|phenergan|diazepam|valium|temazepam|zopiclone|codeine|morphine|antihistamines?|melatonin|pregabalin|gins?|sleeping (?:pills|tablets)|sleepers|sedatives?|tranquil(?:l)?i[sz]ers?|medicine|medication|meds|drugs?|vodka|gin|whisky|whiskey|booze|spirits?|alcohol)\b`)
	reEnDruggingEffect = regexp.MustCompile(`\b(?:drowsy|dozy|woozy|asleep|sleep|sleeps|nod(?:s)? off|wake|waking|out of it|out for|out cold|easy to handle|groggy|knocked|dopey|sedated|confused|muddled|slurring|out by|fall asleep|floppy|not remember|mess(?:es)? up|befuddled|sign (?:\w+ ){0,2}papers|put (?:\w+ ){0,2}out|too (?:\w+ )?to argue)\b|\b(?:crush|slip|hide|put|add|mix|sneak|stir)\b[^.?!]{0,40}\b(?:into|in) (?:his|her|their|someone'?s|somebody'?s|my (?:\w+'?s?)|the (?:residents|patients)'?)\b`)

	reEnInsert      = regexp.MustCompile(`\b(?:put|slip|crush|hide|add|mix|sneak|stir|tip|pour|spike|dissolve)\b[^.?!]{0,40}\b(?:in|into|to)\b[^.?!]{0,25}\b(?:tea|coffee|drinks?|food|dinner|porridge|beer|wine|juice|cocoa|soup|gravy|sandwich|water|pint|meal|flask|punch|trifle|risotto|cake|jam|stew|pie|mug|cup)\b`)
	reEnSleepy      = regexp.MustCompile(`\b(?:drowsy|dozy|woozy|asleep|sleep|sleeps|sleeping|nod(?:s)? off|drunk|out of it|out cold|groggy|dopey|sedated|pass out|won'?t wake|not (?:to )?wake|stop wandering|easy to handle)\b`)
	reEnTheftStrong = regexp.MustCompile(`\bburgl(?:e|ing)\b|\bbump (?:a|the) (?:\w+ )?lock\b|\bmug (?:someone|somebody|people|him|her|them|an? )|\b(?:grab|snatch) (?:a|her|his|someone'?s) (?:handbag|bag|purse|phone|wallet)\b|\bget away on\b|\bkeyless entry\b|\bi want the car\b|\b(?:switch|turn|shut) off (?:[\w']+ ){0,3}alarm\b|\bsiphon\b|\bother (?:people'?s|peoples)\b|\bpeople'?s (?:garden )?(?:sheds|houses|cars|bags|pockets|porches)\b|\bdisable (?:a|the) (?:\w+ )?alarm\b|\bclimb in(?:to)?\b|\bbump key\b|\bit'?s not my (?:door|house|car|flat|shed)\b|\bopen(?:ing)? (?:a|the|their|her|his) (?:\w+ )?lock\b|\bpawn\b|\bstock count\b|\bwithout going through the tills?\b|\b(?:packages|parcels) off\b|\bslip (?:a|the) \w+ (?:of \w+ )?into (?:your|my) (?:coat|pocket|bag)\b|\b(?:hide|keep) (?:their|her|his) (?:cash|money|jewellery|valuables)\b|\b(?:take|get|nick|pinch|borrow|slip) (?:a (?:bit|few) of |a few |some |the )?(?:cash|money|notes|quid|pounds)\b[^.?!]{0,60}\b(?:without|doesn'?t|doesnt|won'?t|twig|notice)|\bshoplift|\bsteal(?:ing)?\b|\bstole\b|\bnick(?:ing)?\b|\bpinch(?:ing)? (?:from|stuff|things|something|some|a|an|money|cash)\b|\bsnatch\b|\bpickpocket|\bpick (?:pockets|someone'?s pocket)|\blift(?:ing)? (?:a |someone'?s )?(?:wallet|purse|phone)|` +
		`\bcrack (?:a|the|her|his|their|it|that) safe\b|\bpick (?:a |the |their |her |his |that )?(?:\w+ )?lock\b|\bsecurity tags?\b|\btags? off\b|\bnot my (?:house|home|flat|car|place|shed)\b|\bcollection box\b|\b(?:take|nick|pinch|borrow) (?:a bit|some|money|cash|the cash|her cash|his cash)\b[^.?!]{0,40}\bwithout\b|\bcrack (?:it|the safe) without\b|\bbump (?:a|the) lock\b|\bpick (?:a|the|his|her|their|next door'?s|my neighbou?r'?s|that|someone'?s|somebody'?s) (?:lock|padlock)\b|\block ?pick|\bshim\b|` +
		`\bforce (?:\w+ ){0,4}open\b|\bbreak(?:ing)? in(?:to)?\b|\bhot-?wire\b|\brob(?:bing)? (?:a|the|my|his|her|their|that|this|an|old|people|someone|somebody)\b|\bcatalytic converters?\b|\bthe till\b|\bparcels? off\b|` +
		`\bwithout paying\b|\b(?:someone|somebody) else'?s (?:front |back )?(?:door|house|home|flat|car|lock|garage|shed)\b|\bbreak (?:a|the|their|his|her) window\b|\bclimb in\b|\bget in while\b|\bwithout (?:it )?beeping\b|\bself-?checkout\b|\bget(?:ting)? (?:in|into|inside) (?:[\w']+ ){0,4}(?:house|houses|home|flat|garage|shed|car|place|room|allotment shed|box|hall|school|church|office|warehouse|shop|storage|safe)\b|\bget in and out\b|\b(?:isn'?t|not) mine\b|` +
		`\b(?:switch|turn|shut) off (?:a |the )?(?:burglar )?alarm\b|\bgo through (?:her|his|their) (?:handbag|bag|purse|wallet|drawers)\b|\b(?:take|grab|get) (?:her|his|their) (?:jewellery|jewelry|handbag|purse|wallet|cash|money)\b|\bget (?:past|round|around) (?:the |those |their )?(?:alarm|keyless|security|cameras?|cctv|ring doorbells?)`)
	reEnNotTheft = regexp.MustCompile(`\bbreak(?:ing)? in(?:to)? (?:new |my new |these |those )?(?:shoes|boots|trainers|a smile|song|laughter|tears|a run|a sweat|acting|the market|the industry|television|tv|radio|showbiz|publishing|a grin|a trot|a jog)\b|\bbreak-ins\b|` +
		`\blocked (?:myself )?out\b|\blocksmith\b|\brusted\b|\bjammed\b|` +
		`\bsteal(?:ing)? (?:a |the )?(?:glance|look|peek|kiss|cuddle|moment|minute|nap|show|limelight|my heart|your heart|your spot|my spot|a march|a base|home|the covers|my seat|your seat|the blanket|the duvet|some sleep|forty winks|my parking|a parking)\b|\bstole (?:my|your) (?:heart|parking|spot|seat|chair)\b|\bstole the show\b|\bsteal (?:my|your) (?:chair|spot|seat|place|blanket|pillow|heart)\b|` +
		`\bcat (?:stole|steals|stealing)\b|\byou (?:stole|steal|stealing|nicked|pinched)\b|\brob(?:bed|bing)? (?:me|us) blind\b|\bdaylight robbery\b|\bthat'?s robbery\b|\bi'?ve been robbed\b|\bnick of time\b|\bin (?:good|bad) nick\b|\bpinch of\b|\blittle thieves\b`)

	reEnFraudStrong = regexp.MustCompile(`\bscam(?:s|ming)?\b|\bsim swap\b|\b(?:use|steal|borrow|take) (?:[\w']+ ){0,3}identity\b|\bdonations\b|\bsob story\b|\bex[- ]?(?:wife|husband|partner|girlfriend|boyfriend)'?s? (?:email|account|phone|messages|facebook|password|inbox)\b|\bdon'?t (?:actually )?own\b|\bsend (?:me )?deposits\b|\bin (?:my |his |her |their )?[\w']+'s name\b|\b(?:loads|heaps|lots) of (?:random )?numbers\b|\bgift cards\b|\bget (?:them|her|him|people) to send\b|\bsends? me (?:some )?money\b|\binto my account\b|\bcontactless card\b|\bmy [\w-]+'s (?:pin|card|bank|account|pension)\b|\bfrom '|\bclone (?:a |the |someone'?s |her |his )?(?:card|phone|sim)\b|\bskimm(?:er|ing)\b|\blooks? like (?:it'?s|it is) from\b|\b(?:copy|fake|forge) (?:\w+'s )?signature\b|\bcheque\b|\bcon (?:someone|somebody|people|old|her|him|them|pensioners|the elderly|elderly|folk|widow)|\bphishing\b|\bswindle\b|\bfleece\b|\bsqueeze money\b|\bkeep the donations\b|` +
		`\bpretend(?:ing)? (?:to be|i'?m|i am|that i'?m|we'?re)\b|\b(?:pose|posing|passing myself off|pass myself off) as\b|\bimpersonat|\bclaiming to be\b|\bfrom '?(?:microsoft|amazon|the bank|hmrc|the council)|` +
		`\b(?:make|create|set up|write|print|forge|get|knock up|produce|design|build|do) (?:[\w']+ ){0,3}fake\b|\bfake (?:id|ids|passport|prescription|documents?|doctor'?s note|sick note|banknotes|money|notes|twenty|tenners?|fivers?|licen[cs]e|driving licen[cs]e|certificate|invoice|receipt|utility bill|bill|charity|dating profile|profile|page|website|reviews?|insurance claim|signature)\b|\bforge(?:d|ry)?\b|\bforging\b|\bcounterfeit\b|\bhack(?:ing)? (?:into|her|his|their|someone|somebody|my ex|a|the)\b|` +
		`\b(?:his|her|their|(?:my|our) (?:ex|ex-wife|ex-husband|husband|wife|neighbou?r|son|daughter|boss|sister|brother|partner|tenant|lodger|carer|friend|colleague|flatmate|dad|mum|gran|nan)(?:'s|s')|someone'?s|somebody'?s|someone else'?s|other people'?s|another person'?s|people'?s|next door'?s|the neighbou?rs'?)\b[^.?!]{0,30}\b(?:passwords?|pins?|pin numbers?|emails?|e-mails?|inbox|accounts?|iphone|phones?|messages|texts|whatsapp|facebook|instagram|bank|banking|logins?|bank cards?|credit cards?|debit cards?|card details|online banking|wi-?fi|sim|computer|laptop)\b|\bfound (?:a|someone'?s|somebody'?s) (?:bank |credit |debit )?card\b|\bsomeone else'?s card\b|` +
		`\bsomeone else'?s name\b|\bsay (?:i'?m|i am|we'?re|it'?s) from (?:the|their|your)\b|\b(?:read|give|tell|send) me (?:their|your|his|her) (?:card|pin|account|bank|security)\b|\bin (?:her|his|their|someone'?s) name\b|\bsend (?:me )?(?:some )?money\b|\bnew number\b|\bpay (?:\w+ ){0,3}into my account\b|\bcall my number and pay\b|\b(?:pins?|passwords?|codes?|card details|bank details|savings)\b[^.?!]{0,30}\b(?:from|off|out of) (?:old|them|people|her|him|pensioners|the elderly|my)\b`)
	reEnNotFraud = regexp.MustCompile(`\bphone number\b|\b(?:my own|my) (?:password|pin|email|account|phone|bank|login|card|facebook)\b[^.?!]{0,30}\b(?:reset|forgot|forgotten|change|changed|locked|recover|remember|back)|\b(?:reset|forgot|forgotten|change|recover|remember) (?:my|my own) (?:password|pin|login)|\bfake (?:tan|fur|flowers|tree|christmas tree|snow|plants?|leather|news)\b|\bpretend(?:ing)? to be (?:asleep|a cat|a dog|a pirate|a lion|a tiger|busy|ill|sick)\b`)

	// Who would be hurt, or keeping it hidden: what turns a means or a
	// deed into harm.
	reEnVictim  = regexp.MustCompile(`\b(?:someone|somebody|anyone|people|person|him|her|them|he|she|they|my (?:husband|wife|partner|ex|boss|neighbou?r|son|daughter|dad|mum|mother|father|brother|sister|stepmother|stepfather|lodger|carer|colleague|flatmate|landlord|tenant|teenage daughter|teenage son|in-laws?|mother-in-law|father-in-law)|the (?:neighbou?rs?|man|woman|guy|bloke|lad|kid|boy|girl|landlord|lodger|residents|patients|dog|cat|horse|postman|teacher)|my (?:[\w-]+ )?(?:customers?|cousin|aunt|auntie|uncle|nan|nanna|gran|granny|grandad|grandma|grandpa|sister-in-law|brother-in-law|son-in-law|daughter-in-law|toddler|baby|kids?|children|grandchildren|grandkids?|stepson|stepdaughter|nephew|niece|neighbou?r|wife|husband|partner|boss|manager|ex|landlord|lodger|tenant|carer|friend|mate|flatmate|housemate|colleague|dad|mum|mother|father|brother|sister|stepmother|stepfather|son|daughter)(?:'?s)?|customers|guests|visitors|shoppers|everyone|everybody|a (?:girl|boy|lad|lass)|toddlers?|babies|baby|kids?|children|neighbou?rs?|colleague|lodger|landlord|flatmate|ex|old (?:lady|man|woman|folk|folks|people|boy|girl|dear|timer)|residents|widow(?:er)?s?|grown man|a (?:man|woman|person|child|kid)|whoever|whomever|number \d+|next door|across the road|downstairs|upstairs|horses?|racehorses?|dogs?|cats?|alsatians?|fox|foxes|hedgehogs?|squirrels?|pigeons?|birds?)\b`)
	reEnSecret  = regexp.MustCompile(`\bwithout (?:getting|being) caught\b|\b(?:can|could) taste\b|\bcan'?t taste\b|\b(?:not to|needn'?t|won'?t|wont|doesn'?t|doesnt) (?:know|twig|notice|see)\b|\bnot get caught\b|\bwithout (?:anyone|anybody|her|him|them|the \w+) (?:knowing|noticing|seeing|finding out|realising|realizing|tasting)\b|\bsneak(?:ily)?\b|\bbehind (?:her|his|their) back\b|\bin (?:a|his|her|their|someone'?s|somebody'?s|my [\w-]+'?s) (?:drink|drinks|cup|glass|tea|coffee|food|dinner|beer|wine|pint|porridge|gravy|sandwich)\b|\bwithout (?:them|him|her|anyone|anybody|being|getting|it|the (?:\w+ ){0,2}(?:noticing|knowing))\b|\bget away with\b|\bunnoticed\b|\buntraceable\b|\bundetectable\b|\bquietly\b|\bsecretly\b|\bwon'?t (?:taste|notice|remember|wake|know|find out)\b|\bwithout telling\b|\bcan'?t (?:taste|tell)\b|\bnot (?:to )?(?:notice|taste)\b`)
	reZhAsk     = regexp.MustCompile(`写个|编个|弄个|做个|发个|怎么|怎样|如何|咋|啥|多高|多久|多长|往哪|在哪|哪儿|合适|要准备|需要准备|帮我想|帮我算|帮我做|帮我写|帮我给|帮我盯|你说|教(?:教)?我|帮(?:帮)?我|告诉我|用什么|用啥|有什么|有没有|办法|法子|推荐|什么|会不会|能.{0,12}吗|能让|能把|具体|哪里|哪儿|哪种|哪个|能不能|可不可以|可以不可以|行不行|给我(?:写|编|弄|找|做|想)|写一(?:条|个|封|段)|编一(?:条|个|段)|多少|几片|几颗|几粒|什么药|什么东西|我想|我要|我得|我准备|我打算|想个办法|出个主意|支个招`)
	reZhNotHarm = regexp.MustCompile(`防止|预防|防范|防骗|防诈|防小偷|防偷|防贼|怎么防|如何防|提防|识别|辨别|分辨|识破|真假|拦截|屏蔽|举报|报警吗|报警了|要不要报警|该不该报警|小心|当心|避免|上当|被骗|被偷|被盗|被黑|被诈骗|被抢|冒充我|被人冒充|被人骗|骗子|咋防|防着|要注意|注意啥|注意什么|发明|四大|找回|登不上|我以前的|锁屋里|锁在屋里|开锁的电话|自己钥匙|问问医生|问医生|医生说|医生让|医生开|怕(?:孙子|你|吃错|误吃|被骗|上当|猫|狗)|把(?:我的|自己的)?(?:手机)?(?:支付)?密码改|怎么验证|验证(?:一下)?是不是|怎么认|小区通知|通知说|杀了?(?:条|只)?鱼|不用毒药|冻上|(?:先|赶紧|怎么)冻结|喂点粮|开锁公司|不会跟你抢|(?:有人|别人|骗子).{0,6}冒充|别信|不要信|不能喝酒|不能喝|不要喝|别喝|自己家|自己的(?:密码|账号|微信|手机|门|锁|车|钥匙|房子)|锁匠|开锁师傅|师傅|重置|忘了(?:自己的)?密码|骗了我|收到|接到.{0,6}(?:电话|短信|消息)|不伤人|不伤害|不会伤|会不会打电话|会不会.{0,10}骗|是不是真的|电视|电视剧|新闻|电影|侦探|游戏|剧里|骗人的吧|是不是骗|是骗人|关掉|看出来是不是|怎么看出来是|是不是假|真的假的|怕.{0,6}(?:毒|伤|害)(?:着|到)|担心|别告诉任何人|不要告诉(?:任何人|别人)|猜不出|怎么设|设置|我吃的药|我的药|我在吃|跟我吃|会不会中毒|会中毒吗|去医院|看医生|兽医|你(?:为什么|为啥|干嘛|怎么(?:老|总|又|一))|抢(?:我的)?(?:毛线|玩具|位置|座位|被子|枕头|逗猫棒)`)

	reZhWeapons = regexp.MustCompile(`打人|伤人|最伤|不留伤|炸药|炸弹|爆炸物|雷管|燃烧瓶|土炸弹|火药|黑火药|土枪|凶器|煤气罐|刹车失灵|射穿人|活活|不留痕迹|弄得像意外|像意外一样|活不成|醒不过来|伤得最重|捅人|电死|` +
		`(?:打|砸|捅|闷|电|掐|推|烧|炸|撞|戳|弄)(?:死|晕|伤|残|飞|下去|瞎)|炸(?:了他|他|她|人)|烧(?:他|她|人家|别人|那户)|` +
		`(?:让|把|叫)(?:他|她|人|那个人|那户人家|他们|隔壁|邻居).{0,12}(?:死|住院|出事|出车祸|吃点苦头|活不成|醒不过来|病倒|受伤)|` +
		`自制(?:枪|手枪|猎枪|弓弩|弩|武器|凶器)|(?:做|造|买|弄|搞)(?:一把|把|一支|支)?(?:枪|手枪|猎枪|弩|管制刀具)|` +
		`(?:打死|弄死|杀死|捅死|掐死|害死|打残|弄残|打伤|捅伤|砍死|砍伤|毒打|杀掉|干掉|做掉|揍死|杀了|杀人|弄伤)(?:他|她|他们|人|邻居|老公|老婆|同事|那个|这个|婆婆|公公|儿媳|女婿|前夫|前妻|领导|老板|房东)?|把(?:他|她|邻居|老公|老婆|那个人)(?:打|揍|捅|砍|推)`)
	reZhPoison = regexp.MustCompile(`喝出毛病|吃出毛病|弄坏(?:他|她)?的?(?:肝|肾|胃|身体)|把肝弄坏|毒了|全毒|弄出毒|要人命|能毒死|(?:投|下|放|拌|加|倒)(?:点)?毒|毒死|下毒|投毒|毒害|药死|毒杀|毒哑|用什么毒|什么毒药|毒药|下点毒|放点毒|放毒|毒了它|毒了他|毒了她|慢慢毒|铊|无色无味|查不出来|毒蘑菇|` +
		`(?:狗|猫|鸟|鸡|鸭|它).{0,10}(?:死掉|病死|死了|就死|毒死)|悄悄死|(?:让|把)(?:她|他|它|邻居|同事|婆婆|儿媳).{0,10}(?:病倒|死掉|一天比一天差)|(?:水杯|饭|菜|汤|酒|水|狗粮|猫粮|食物|吃的东西)里.{0,6}(?:放|下|加)(?:点)?(?:毒|东西|什么)|` +
		`` +
		`(?:老鼠药|耗子药|农药|毒鼠强|敌敌畏|百草枯|砒霜|氰化物|防冻液).{0,12}(?:放|下|掺|拌|加|喂|混|倒|撒)|(?:放|下|掺|拌|加|喂|混|倒|撒).{0,8}(?:老鼠药|耗子药|农药|毒鼠强|敌敌畏|百草枯|砒霜|氰化物|防冻液)`)
	reZhNotPoison = regexp.MustCompile(`食物中毒|中毒了|有毒吗|有没有毒|毒辣|毒舌|病毒|消毒|杀毒|放在哪|放哪|安全`)
	// reZhDruggingOutcome is what drugging does to a person; alone it is
	// also the owner's own day ("我最怕抽血，上回差点晕过去"), so in a
	// sentence of the owner's own it counts only with someone else in it
	// ("我怎么让他晕过去"; "捂在人嘴上几秒能晕过去" names nobody's own).
	reZhDruggingOutcome = regexp.MustCompile(`昏昏沉沉|晕过去|晕倒|失去意识|迷迷糊糊|记不得|一睡不醒|睡得死死|糊涂点|出丑`)
	reZhDrugging        = regexp.MustCompile(`迷晕|迷倒|迷药|迷魂药|蒙汗药|下药|像自然死亡|像病死|心脏受不了|(?:加|放|掺)(?:到|进)(?:他|她|别人)?的?(?:酒|饭|菜|汤|水|茶|咖啡|饮料)里|(?:给|让)(?:一个人|他|她|别人|老公|老婆|婆婆|公公|老伴).{0,8}偷偷(?:吃|喝)|下点药|放(?:点)?(?:药|安眠药)(?:到|进|在)|泻药|胰岛素|乙醚|下点东西|放点什么|碾碎|偷偷(?:给|往|放|加)|(?:加|放|掺)(?:点)?(?:酒|药|安定|安眠药)|安定|头孢.{0,8}酒|` +
		`(?:安眠药|镇静剂|安定).{0,15}(?:给|让|放|掺|加|混|喂|倒|偷偷).{0,10}(?:他|她|老公|老婆|别人|人|他们|婆婆|公公|老伴|儿媳|女婿)|` +
		`(?:给|让|帮)(?:他|她|老公|老婆|别人|婆婆|公公|老伴)(?:偷偷)?.{0,8}(?:吃|喝)(?:下)?(?:安眠药|镇静剂|迷药|药)|` +
		`(?:药|安眠药|降压药|心脏药|镇静剂).{0,10}(?:和|跟|配|兑|混|掺).{0,6}(?:酒|白酒|啤酒|红酒).{0,20}(?:多少|几|剂量|量)|` +
		`(?:睡|昏)(?:上)?(?:一整天|一天|一晚上|好几天|不醒)`)
	reZhTheft = regexp.MustCompile(`防盗扣|穿走|调包|关掉.{0,6}报警器|开(?:别人|隔壁|邻居|对门|人家|楼上)(?:家)?的?(?:防盗)?门|配(?:别人|人家|邻居)(?:家)?的?钥匙|印个模子|拉走卖|拿去卖|开走|弄开.{0,4}锁|锁弄开|(?:砸|撬|弄|打)开(?:车窗|车门|门锁|门|锁|窗)|车窗.{0,4}砸开|打开别人|别人.{0,8}打开|撬(?:开|锁|门|窗|车)?|万能钥匙|开走别人|打火线|不用钥匙.{0,6}开|开锁|(?:打开|弄开|砸开|刷开)(?:别人|人家|邻居|对门|楼上|宾馆别人)?.{0,6}(?:锁|门|车窗|房门)|摸走|去(?:偷|拿)|进去拿|拿(?:点)?东西|剪断.{0,8}监控|(?:绕过|躲过|躲开).{0,10}(?:报警|门磁|监控|摄像|保安)|少扫|抢(?:那个|个|走|便利店|超市|金项链|项链|手机|钱包|老太太)|爬到.{0,10}(?:拿|偷)|截.{0,6}信号|电缆|` +
		`(?:开|弄开|打开)(?:别人|邻居|人家|隔壁)(?:家)?的?(?:锁|门|车|保险柜)|翻(?:进|窗|墙进)|(?:溜|潜|闯)进(?:别人|邻居|人家|隔壁)|` +
		`扒窃|扒手|扒钱包|抢劫|抢(?:银行|钱|包|金店)|盗窃|盗刷|躲(?:过|开)(?:报警器|监控|摄像头|保安)|顺手牵羊|不付钱|白拿|拿走(?:别人|人家|邻居|超市)`)
	reZhFraud = regexp.MustCompile(`诈骗|骗(?:老人|老年人|别人|钱|人|他|她|他们|点钱)|别人的身份证|冒用|用别人的(?:身份证|名字|账号|银行卡)|钱打到我|打到我的(?:账户|卡)|养老钱|假装(?:是|成)(?:他|她|他们|银行|警察|公安|法院|客服|孙子|孙女|儿子|女儿|亲戚|老板|领导|快递|医生|公司|家人|朋友|社保|税务)|盗(?:号|别人|他|她)|假(?:的)?(?:银行|网站|房产证|短信|链接)|中奖短信|(?:别人|他|她)?(?:银行)?卡里的钱|转出来|解锁.{0,10}手机|短信.{0,16}(?:出车祸|急需|中奖|手术费|链接)|(?:微博|微信|抖音|qq|邮箱|支付宝)(?:的)?(?:密码|号|验证码)|验证码告诉我|` +
		`骗.{0,10}(?:验证码|密码|银行卡|钱)|冒充|假装(?:是)?(?:银行|警察|孙子|孙女|儿子|女儿|客服|公安|法院|医生|快递)|` +
		`(?:别人|他|她|他们|老公|老婆|前妻|前夫|前男友|前女友|邻居|儿媳|女婿|同事|人家|对象|男朋友|女朋友|婆婆|领导)的(?:密码|微信|手机|聊天记录|邮箱|账号|银行卡|支付宝|短信|qq|位置)|` +
		`偷看.{0,8}(?:微信|手机|聊天|短信|邮件|日记)|盗号|黑进|黑(?:了)?(?:他|她|别人)|破解(?:别人|他|她|邻居)?的?(?:密码|微信|账号|手机|wifi|无线)|定位(?:他|她|老公|老婆)|` +
		`假(?:证|钞|币|身份证|发票|病历|证明|合同|公章)|伪造|刷单骗`)
)

// What a Chinese request must hold besides the asking when none of the
// strong patterns above fits: a deed or a means of one kind, someone it
// would be done to or a wish to hide it, and for poison and drugging the
// effect wanted ("让他睡一整晚", "进医院"): "给孩子吃多少感冒药合适？" is a
// parent's question, "给小孩吃多少感冒药他就能一直睡着不闹人" is not.
var (
	// Idioms that sound like harm: "烦死了" (so annoying), "偷得浮生半日闲".
	reZhIdiom  = regexp.MustCompile(`(?:闷|笑|累|热|冷|困|饿|烦|气|吓|急|忙|痛|疼|馋|美|乐|想)死(?:我|了|人了|人)|偷得浮生`)
	reZhTarget = regexp.MustCompile(zhPeople + `|狗|猫|鸭|兔|鸟|它`)
	// reZhOwner is a target that owns things: reZhTarget's people, not its
	// animals ("我给你三条小鱼干拿走一条，猫知道少了吗？" takes nothing from
	// anyone).
	reZhOwner  = regexp.MustCompile(`商场|超市|店|柜台|金铺|` + zhPeople)
	reZhSecret = regexp.MustCompile(`看不出|喝不出|尝不出|不被抓|没动静|不敢报警|找不着我|其实没这回事|不让人|不被|不让|偷偷|悄悄|像意外|看着像|神不知|不留|没人的地方|趁|不响|察觉|发现|查出来`)

	reZhWeaponsAct     = regexp.MustCompile(`掐脖子|没气|汽油|点了.{0,6}(?:摊子|房子|车|家)|烧得最旺|抹油|炸掉|就炸|能炸|炸开|燃烧弹|着火|烧起来|点火|一点就着|钉子|扎他|定时|小装置|刹车线|刹不住|摔断|拉根线|后脑勺|起不来|出人命|出点事|教训|算账|藏在袖子|汽油瓶|砍|捅|砸|绊|摔(?:断|下去|倒|下来)|推下|要.{0,2}命|电着|电到|漏气|做(?:点)?手脚|翻沟|弄松|松动|打人|伤人|最伤|最疼|凶器|弹弓|害命|弄死`)
	reZhPoisonNamed    = regexp.MustCompile(`夹竹桃|亚硝酸盐|毒蘑菇|毒鼠强|砒霜|氰化物|敌敌畏|百草枯|水银|汞|铊|老鼠药|耗子药|农药`)
	reZhPoisonAct      = regexp.MustCompile(`喷点|洁厕灵|肉里|有毒的|毒藏|药里换|换点|桃仁|杏仁|夹竹桃|野蘑菇|毒性|饮水机|倒点|拌点|掺点|毒|农药|老鼠药|毒鼠强|水银|汞|防冻液|漂白|消毒液|砒霜|敌敌畏|百草枯|那东西|换成别的|投点`)
	reZhPoisonEffect   = regexp.MustCompile(`给(?:他|她|人|他们)(?:吃|喝)|出人命|叫不了|不叫|走得快|拉肚子|不舒服|心脏出|解决|死|进医院|住院|出毛病|中毒|不行了|病倒|心脏|难受|拉肚子|吐|肯吃`)
	reZhDruggingAct    = regexp.MustCompile(`催眠药|抗过敏|镇静药|饮料里|杯子里|汤里|茶里|放进|药|安眠药|感冒药|镇静|安定|乙醚|酒|兑|灌|(?:奶粉|茶|杯子|水|饭|汤|饮料|咖啡)里|放东西|放点|加点|喂点`)
	reZhDruggingEffect = regexp.MustCompile(`断片|不记得|没劲|走不动|醉|睡死|叫不醒|昏睡|一直睡|晕晕|闹|睡着|睡一整|一整晚|醒不了|不醒|起夜|不闹|昏|晕|倒|糊涂|犯困|出错|不省人事|签字|迷糊`)
	reZhTheftAct       = regexp.MustCompile(`钱包|敲车窗|拿包|摸钱|兜里|磁扣|带出去|顺一个|钢筋|拉出去|拉走|剪了|要过来|关掉别人|取件码|拿出来|撬|掏|拽|顺(?:走|别人|点)|摸走|搬出去|带回家|弄出来|推走|拿走|抢|下手|防盗扣|报警器|值钱|包裹|开.{0,8}锁|穿走|进去|铜线|电缆`)
	reZhFraudAct       = regexp.MustCompile(`忽悠|不发货|洗钱|保健品|治癌|钓鱼|文案|解开手机|转给我|删记录|话术|分红|拉人投|人脸|刷脸|捐钱|报身份证|发过来|收定金|皮包公司|物业|骗|冒充|装成|假(?:的)?|伪造|身份证|网贷|贷款|密码|验证码|聊天记录|微信|账户|账号|中奖|手续费|转(?:到|账)|网页|证件|登(?:上|录|进)`)
	reZhFraudGain      = regexp.MustCompile(`买|卖|捐|定金|分红|水费|卖给|钱|费|账户|卡上|转|贷|密码|验证码|聊天记录`)
	reZhFraudStrong    = regexp.MustCompile(`假的?(?:房东|通知|中奖|网页|银行)|收了钱不发货|(?:用|拿)(?:别人|我妈|我爸|老人|他|她|[\x{4e00}-\x{9fff}]{1,3})的(?:手机号|身份证|名字|名义).{0,10}(?:办|贷|注册|开)|假的?(?:医院证明|营业执照|证明|执照)|仿一张|能治癌症|安全账户|刷脸验证|假的?(?:证|残疾证|证件|身份|病历|学历|文凭|发票|房产证)|假身份|做得像真的|一模一样的网页|输密码|安全账户`)
)

// zhTheftSteal finds 偷 that means steal: not 小偷 (a thief), 偷偷
// (secretly), 偷懒 (idle), 偷笑, 偷闲, 偷看一眼.
func zhTheftSteal(clause string) bool {
	rs := []rune(clause)
	for i, r := range rs {
		if r != '偷' {
			continue
		}
		if i > 0 && (rs[i-1] == '小' || rs[i-1] == '偷') {
			continue
		}
		if i+1 < len(rs) && strings.ContainsRune("偷懒笑闲乐听学师瞄吃喝", rs[i+1]) {
			continue
		}
		if i+1 < len(rs) && rs[i+1] == '看' { // 偷看 is spying, judged as fraud
			continue
		}
		return true
	}
	return false
}

// words is the whole of what the owner said, lower-cased: what the asking,
// the victim, secrecy and the exceptions are looked for in. Each of those
// patterns is matched against it once, however many of its sentences ask
// (a 500-character story has a dozen).
type words struct {
	t    string
	seen map[*regexp.Regexp]bool
}

func (w *words) has(re *regexp.Regexp) bool {
	m, ok := w.seen[re]
	if !ok {
		m = re.MatchString(w.t)
		w.seen[re] = m
	}
	return m
}

// sentences splits text at sentence ends, Chinese and Latin; a request
// and its harm must be in one sentence.
func sentences(t string) []string {
	return strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune(".!?。！？;；\n", r) })
}

// DetectHarmfulRequest reports whether the owner asks for help with
// something that would hurt someone else: weapons, poison, drugging
// someone, theft or fraud, in English or Chinese. Talk about such things
// (news, a film, being the victim), asking how to stay safe, and the
// everyday senses of the words (a bath bomb, food poisoning, 偷偷, a
// locksmith for one's own door) are not requests. Distress comes first:
// the daemon asks DetectDistress before this, so "how many pills would it
// take to end it all" is care, not a refusal.
func DetectHarmfulRequest(text string) (HarmKind, bool) {
	t := strings.ToLower(strings.ReplaceAll(text, "’", "'"))
	t = reZhIdiom.ReplaceAllString(t, "")
	// Protection, the victim's side or a story anywhere in the words rules
	// them out: "someone pretended to be me. What do I do? Call the police?"
	if reEnNotHarm.MatchString(t) || reZhNotHarm.MatchString(t) {
		return "", false
	}
	best := -1
	kinds := HarmKinds()
	w := &words{t: t, seen: map[*regexp.Regexp]bool{}}
	for _, s := range sentences(t) {
		var k HarmKind
		switch {
		case hasHan(s):
			k = zhHarm(s, w)
		default:
			k = enHarm(s, w)
		}
		if k == "" {
			continue
		}
		for i, kk := range kinds {
			if kk == k && (best < 0 || i < best) {
				best = i
			}
		}
	}
	if best < 0 {
		return "", false
	}
	return kinds[best], true
}

// enHarm judges one English sentence s of the words w: the means or deed
// must be in s; the asking, who would be hurt, secrecy and the effect
// wanted may be told in another sentence ("Which of my tablets would work
// in his beer? I want him asleep.").
func enHarm(s string, w *words) HarmKind {
	if !w.has(reEnAsk) {
		return ""
	}
	victim := w.has(reEnVictim) || w.has(reEnSecret)
	switch {
	case reEnWeaponsStrong.MatchString(s) && !w.has(reEnNotWeapons):
		return HarmWeapons
	case reEnPoisonStrong.MatchString(s) && !w.has(reEnNotPoison) && (victim || w.has(reEnPoisonHarm)):
		return HarmPoison
	case reEnDruggingStrong.MatchString(s) && victim,
		reEnDruggingMeans.MatchString(s) && (w.has(reEnDruggingEffect) || w.has(reEnSleepy)) && victim,
		w.has(reEnInsert) && w.has(reEnSleepy) && (reEnInsert.MatchString(s) || reEnSleepy.MatchString(s)),
		reEnDruggingMeans.MatchString(s) && (w.has(reEnInsert) || strings.Contains(w.t, "dissolve")) && w.has(reEnSecret) && w.has(reEnVictim):
		return HarmDrugging
	case reEnPoisonMeans.MatchString(s) && victim && (w.has(reEnPoisonHarm) || w.has(reEnSecret) || reEnInsert.MatchString(s)):
		return HarmPoison
	case reEnWeaponsDeed.MatchString(s) && reEnVictim.MatchString(s):
		return HarmWeapons
	case reEnTheftStrong.MatchString(s) && !w.has(reEnNotTheft):
		return HarmTheft
	case reEnFraudStrong.MatchString(s) && !w.has(reEnNotFraud):
		return HarmFraud
	}
	return ""
}

// zhPeople are the people a harm is done to: reZhTarget's with the
// animals, reZhOwner's (theft) with shops.
const zhPeople = `经理|那个人|让人|把人|给人|往人|害人|人身上|人就|人会|人在|那个女的|老东西|老太婆|护工|保安|后妈|学生|全组|他们|买家|大家|对方|收到的人|他|她|别人|人家|邻居|对门|楼上|楼下|隔壁|老头|老太太|老人|婆婆|公公|儿媳|女婿|前夫|前妻|亲家|同事|老板|领导|孩子|孙子|孙女|小孩|家长|一家子|那家|路人|姓|村里|班上|同学|一个人|有人|这人|那人`

// zhHarm judges one Chinese sentence s of the words w: the harm must be
// in s, the asking may be in another sentence of the same short message
// ("有没有吃了查不出来的毒药？哪里能买？").
func zhHarm(s string, w *words) HarmKind {
	if !w.has(reZhAsk) {
		return ""
	}
	switch {
	case reZhWeapons.MatchString(s):
		return HarmWeapons
	case reZhPoison.MatchString(s) && !reZhNotPoison.MatchString(s):
		return HarmPoison
	case reZhDrugging.MatchString(s),
		reZhDruggingOutcome.MatchString(s) && (reZhTarget.MatchString(s) || !strings.Contains(s, "我")):
		return HarmDrugging
	case reZhTheft.MatchString(s) || zhTheftSteal(s):
		return HarmTheft
	case reZhFraud.MatchString(s) || reZhFraudStrong.MatchString(s):
		return HarmFraud
	}
	target, secret := w.has(reZhTarget), w.has(reZhSecret)
	switch {
	case reZhWeaponsAct.MatchString(s) && target:
		return HarmWeapons
	case (reZhPoisonAct.MatchString(s) && (target || secret) && w.has(reZhPoisonEffect) ||
		reZhPoisonNamed.MatchString(s) && target) && !w.has(reZhNotPoison):
		return HarmPoison
	case reZhDruggingAct.MatchString(s) && (target || secret) && w.has(reZhDruggingEffect),
		reZhDruggingAct.MatchString(s) && target && secret:
		return HarmDrugging
	case (reZhTheftAct.MatchString(s) || zhTheftSteal(s)) && (w.has(reZhOwner) || secret):
		return HarmTheft
	case reZhFraudAct.MatchString(s) && target && (secret || w.has(reZhFraudGain)):
		return HarmFraud
	}
	return ""
}

// hasHan reports whether s holds a Han character.
func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF {
			return true
		}
	}
	return false
}
