package extract

import (
	"embed"
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

//go:embed lexicon/*.txt lexicon/*.tsv
var lexiconFS embed.FS

// wordSet is a set of folded single tokens or folded token sequences
// (joined by one space).
type wordSet map[string]struct{}

func (s wordSet) has(k string) bool { _, ok := s[k]; return ok }

func newSet(lists ...string) wordSet {
	s := wordSet{}
	for _, l := range lists {
		for _, line := range strings.Split(l, "\n") {
			for _, item := range strings.Split(line, ",") {
				if k := catalog.Key(item); k != "" {
					s[k] = struct{}{}
				}
			}
		}
	}
	return s
}

func loadWordFile(name string) wordSet {
	b, err := lexiconFS.ReadFile("lexicon/" + name)
	if err != nil {
		panic("extract: embedded lexicon missing: " + name)
	}
	s := wordSet{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		if k := catalog.Key(line); k != "" {
			s[k] = struct{}{}
		}
	}
	return s
}

// demonymInfo describes a country adjective such as "Ukrainian".
type demonymInfo struct {
	cc      string
	country string
	// countryToks are the folded tokens of country.
	countryToks []string
	// nameForm marks forms that are also names of the country ("US").
	nameForm bool
}

func loadDemonyms() (map[string]demonymInfo, map[string]string) {
	b, err := lexiconFS.ReadFile("lexicon/demonyms.tsv")
	if err != nil {
		panic("extract: embedded lexicon missing: demonyms.tsv")
	}
	dem := map[string]demonymInfo{}
	countries := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			continue
		}
		cc, name := f[0], f[1]
		countries[catalog.Key(name)] = cc
		for _, d := range strings.Split(f[2], "|") {
			info := demonymInfo{cc: cc, country: name, countryToks: catalog.KeyTokens(name), nameForm: strings.ToUpper(d) == d}
			k := catalog.Key(d)
			dem[k] = info
			if !info.nameForm && countries[k+"s"] == "" {
				switch {
				case strings.HasSuffix(k, "ese"), strings.HasSuffix(k, "ish"), strings.HasSuffix(k, "ch"), k == "swiss", k == "thai":
				case strings.HasSuffix(k, "s"):
				default:
					dem[k+"s"] = info
				}
			}
		}
	}
	return dem, countries
}

// Words that may stand before a person's name as a title or role. Single
// tokens and token sequences, folded.
var titleWords = newSet(`
president,vice president,vice-president,prime minister,premier,minister,secretary,secretary-general,
secretary general,undersecretary,under secretary,chancellor,king,queen,prince,princess,crown prince,
sheikh,emir,sultan,ayatollah,imam,pope,patriarch,cardinal,bishop,archbishop,rabbi,rev,reverend,pastor,
general,gen,lieutenant,lt,colonel,col,major,maj,brigadier,brig,admiral,adm,vice admiral,rear admiral,
captain,capt,sergeant,sgt,corporal,cpl,private,pvt,marshal,field marshal,commander,cmdr,commandant,
chief,chief of staff,spokesman,spokeswoman,spokesperson,press secretary,mayor,deputy mayor,governor,gov,
lieutenant governor,senator,sen,rep,representative,congressman,congresswoman,lawmaker,legislator,mp,mep,
ambassador,envoy,consul,director,director-general,director general,head,leader,founder,co-founder,
chairman,chairwoman,chairperson,chair,ceo,cfo,coo,cto,executive,president-elect,commissioner,supervisor,
judge,justice,attorney general,prosecutor,attorney,lawyer,advisor,adviser,aide,deputy,official,officer,
coach,head coach,manager,quarterback,receiver,wide receiver,safety,center,centre,linebacker,cornerback,
tight end,running back,kicker,pitcher,catcher,outfielder,shortstop,striker,goalkeeper,keeper,defender,
midfielder,forward,winger,guard,point guard,captain,skipper,player,owner,co-owner,champion,candidate,
nominee,incumbent,challenger,singer,songwriter,singer-songwriter,artist,actor,actress,rapper,musician,
author,writer,novelist,journalist,reporter,correspondent,columnist,editor,analyst,economist,professor,
prof,dr,doctor,mr,mrs,ms,miss,sir,dame,lord,lady,boss,militant,activist,businessman,businesswoman,
billionaire,tycoon,warlord,mercenary,negotiator,mediator,inspector,investigator,detective,sheriff,
trooper,chaplain,sister,brother,father,mother,son,daughter,wife,husband,widow,colleague,teammate,rival,
counterpart,predecessor,successor,opponent,speaker,whip,clerk,treasurer,auditor,regent,councillor,
councilor,councilman,councilwoman,alderman,administrator,superintendent,principal,dean,chancellor,
president of,governor of,mayor of,head of,leader of,chief of,minister of,secretary of,director of,
commander of,chairman of,founder of,spokesman for,spokeswoman for,spokesperson for,ambassador to,
envoy to,adviser to,advisor to,aide to,deputy to`)

// Head nouns that end (or, with "of"/"for", start) an organization name.
var orgHeads = newSet(`
ministry,department,agency,administration,office,council,committee,commission,board,bureau,
service,services,force,forces,army,navy,corps,guard,guards,brigade,brigades,battalion,regiment,
division,command,police,party,movement,front,union,league,association,federation,organization,
organisation,group,company,co,corp,corporation,inc,ltd,llc,plc,gmbh,ag,sa,industries,technologies,
aerospace,bank,fund,university,institute,court,parliament,senate,congress,assembly,cabinet,presidency,
government,authority,coalition,alliance,foundation,academy,directorate,secretariat,tribunal,
airlines,airways,motors,dynamics,systems,holdings,enterprises,partners,club,network,militia,
gendarmerie,fleet,squadron,staff,prosecutor's office,procuracy,duma,knesset,junta,council,school,
college,elementary,seminary,conservatory,institution,laboratory,laboratories,labs,studios,records,
pictures,entertainment,media,bancorp,capital,securities,investments,insurance,pharmaceuticals,
therapeutics,biotech,logistics,shipping,shipyard,shipyards,railways,railway,telecom,communications,
headquarters,limited,motorsports,racing`)

// Words that, heading a two-token organization name, leave it generic
// ("Air Force", "Defense Ministry"): such names need a country.
var genericOrgModifiers = newSet(`
air,armed,coast,defense,defence,foreign,interior,security,supreme,national,federal,state,central,
naval,special,border,military,justice,finance,health,home,general,joint,regional,local,city,
presidential,foreign affairs,internal affairs,emergency,emergencies,energy,economy,education,
intelligence,space,marine,rocket,strategic,land,ground,main,the,this,that,his,her,its,their,our`)

// Company-name heads that need a distinctive (non-dictionary) modifier.
var companyHeads = newSet(`defense,defence,aerospace,systems,technologies,dynamics,industries,motors,electronics,group,holdings,energy`)

// Nouns that end a geographic name.
var geoHeads = newSet(`
county,oblast,province,region,district,governorate,prefecture,raion,krai,okrug,canton,municipality,
island,islands,isles,sea,ocean,strait,straits,gulf,bay,river,lake,mountains,mountain,mount,valley,desert,
peninsula,shoal,reef,reefs,atoll,canal,channel,airport,airfield,air base,stadium,arena,square,bridge,dam,
power plant,nuclear power plant,plant,port,harbor,harbour,heights,hills,plateau,basin,delta,coast,
highway,crossing,checkpoint,camp,refugee camp,palace,cathedral,mosque,church,hospital,base,naval base,
field,park,forest,border crossing,corridor,pass,cape,falls,springs,steppe,tower,building`)

// Lower-case administrative nouns after a place name: "Kherson region".
var adminNouns = newSet(`region,province,oblast,district,governorate,prefecture,county,state,territory,area,raion,municipality,island,township,
river,reservoir,mountains,valley,desert,canal,regional,oblasts,regions,provinces,districts,governorates,states,counties,prefectures`)

// pluralAdminNouns end a list of regions: "Kyiv, Chernihiv and Kharkiv
// oblasts" names three oblasts.
var pluralAdminNouns = map[string]string{"oblasts": "oblast", "regions": "region", "provinces": "province",
	"districts": "district", "governorates": "governorate", "states": "state", "counties": "county",
	"prefectures": "prefecture"}

// lowerGeoNouns are the natural features among adminNouns: "the Kakhovka
// reservoir" names the reservoir, not the town of Kakhovka.
var lowerGeoNouns = newSet(`river,reservoir,mountains,valley,desert,canal`)

// Words introducing a settlement: "the town of X".
var settlementNouns = newSet(`town,city,village,villages,settlement,settlements,kibbutz,kibbutzim,moshav,hamlet,
port,capital,municipality,suburb,district,township,borough,commune,neighborhood,neighbourhood,town of,city of,
communities,community,towns,cities,island`)

// Verbs of speech that follow a person's name.
var reportingVerbs = newSet(`
said,says,say,told,tells,added,adds,wrote,writes,tweeted,posted,stated,states,announced,announces,
confirmed,confirms,noted,notes,declared,declares,explained,explains,claimed,claims,insisted,insists,
warned,warns,argued,argues,replied,urged,urges,asked,asks,responded,acknowledged,admitted,denied,
stressed,emphasized,emphasised,recalled,continued,concluded,commented,remarked,reported,reports,
predicted,suggested,pointed,vowed,pledged,promised,threatened,accused,blamed,praised,criticized,
criticised,welcomed,condemned,spoke,speaks,testified,disclosed,revealed,estimated,believes,believed,
thinks,thought,hopes,hoped,wants,wanted,met,meets,visited,visits,signed,ordered,called,described`)

// Sources of news reports; never actors.
var outletNames = newSet(`
reuters,afp,agence france-presse,agence france presse,ap,associated press,the associated press,tass,
ria novosti,ria,interfax,xinhua,kyodo,yonhap,kcna,irna,isna,fars,tasnim,mehr,anadolu,anadolu agency,
bloomberg,cnn,bbc,al jazeera,voa,voice of america,upi,united press international,dpa,efe,ansa,pap,
ukrinform,unian,sana,wafa,nhk,cnbc,fox news,msnbc,abc news,cbs news,nbc news,npr,pbs,sky news,
the new york times,new york times,the washington post,washington post,the wall street journal,
wall street journal,financial times,the guardian,the economist,politico,axios,the hill,newsweek,
time,the times,the telegraph,daily mail,the independent,le monde,der spiegel,spiegel,
kyiv independent,kyiv post,moscow times,the moscow times,times of israel,the times of israel,haaretz,
jerusalem post,the jerusalem post,ynet,arab news,al arabiya,press tv,rt,sputnik,global times,
china daily,people's daily,cgtn,south china morning post,scmp,taiwan news,focus taiwan,cna,
yomiuri,asahi,mainichi,nikkei,korea herald,korea times,dawn,the hindu,hindustan times,
times of india,ndtv,pti,ani,sepah news,meduza,novaya gazeta,kommersant,izvestia,rbc,
defense news,breaking defense,janes,jane's,the drive,the war zone,military times,stars and stripes,
usni news,naval news,aviation week,flightglobal,the national,gulf times,khaleej times,
euronews,dw,deutsche welle,france 24,rfi,radio free europe,rferl,rfe/rl,bellingcat,
the national interest,national interest,the diplomat,foreign policy,the atlantic,vox,
yahoo news,huffpost,buzzfeed news,vice news,insider,business insider,forbes,fortune,cnbc,
times-georgian,espn,the athletic,sports illustrated`)

// Social platforms and messaging services; never actors.
var platformNames = newSet(`telegram,twitter,x,truth social,facebook,instagram,youtube,tiktok,whatsapp,
signal,snapchat,reddit,linkedin,threads,weibo,wechat,vkontakte,vk,rumble,gettr,parler,bluesky,discord`)

// Tokens that end a news outlet's name: "X News", "X Times".
var outletHeads = newSet(`news,times,post,journal,herald,gazette,tribune,daily,telegraph,chronicle,
observer,courier,examiner,inquirer,dispatch,standard,monitor,review,wire,press,leader,sun,star,bulletin,
register,record,sentinel,independent,today,tv,radio,television,broadcasting,magazine,newspaper`)

// Calendar words never taken as places or names.
var calendarWords = newSet(`monday,tuesday,wednesday,thursday,friday,saturday,sunday,january,february,
march,april,may,june,july,august,september,october,november,december,jan,feb,mar,apr,jun,jul,aug,sep,
sept,oct,nov,dec,mon,tue,tues,wed,thu,thur,thurs,fri,sat,sun,christmas,easter,ramadan,eid,hanukkah,
passover,thanksgiving,today,tonight,yesterday,tomorrow,spring,summer,autumn,fall,winter`)

// Function words and other capitalised sentence openers that never start a name.
var stopCaps = newSet(`the,a,an,and,or,but,if,in,on,at,to,of,for,from,by,with,as,after,before,during,
while,when,where,what,who,why,how,this,that,these,those,there,here,it,its,he,she,they,we,i,you,his,
her,their,our,my,your,us,them,him,me,not,no,yes,all,some,any,each,every,both,either,neither,one,two,
three,four,five,six,seven,eight,nine,ten,first,second,third,last,next,new,old,many,much,more,most,
other,another,such,so,than,then,also,only,just,even,still,yet,already,however,meanwhile,although,
though,because,since,until,unless,whether,about,above,below,over,under,into,onto,upon,across,
against,among,around,between,beyond,despite,except,inside,outside,through,toward,towards,via,within,near,nearby,
without,according,including,following,amid,mr,mrs,ms,dr,st,north,south,east,west,northern,southern,
eastern,western,central,upper,lower,greater,little,big,great,old,new,saint,san,santa,fort,port,mount,
lake,cape,point,will,would,could,should,can,may,might,must,shall,do,does,did,has,have,had,is,are,was,
were,be,been,being,let,read,see,watch,click,photo,video,image,file,getty,images,reuters,caption,
breaking,exclusive,update,updated,analysis,opinion,editorial,live,why,explainer,comment,watch,listen`)

// Military vocabulary: words whose presence marks an article about armed
// conflict or defense.
var militaryTerms = newSet(`
military,militaries,army,armies,troops,soldier,soldiers,weapon,weapons,missile,missiles,rocket,rockets,
drone,drones,artillery,warship,warships,navy,naval,war,wars,warfare,invasion,airstrike,airstrikes,
air strike,air strikes,shelling,combat,ammunition,munition,munitions,battlefield,frontline,front line,
ceasefire,militants,militant,insurgents,insurgent,terrorists,terrorist,howitzer,howitzers,tank,tanks,
fighter jet,fighter jets,warplane,warplanes,air defense,air defence,air force,defense ministry,
defence ministry,ministry of defense,ministry of defence,pentagon,nato,armed forces,mercenary,
mercenaries,paratroopers,battalion,brigade,regiment,infantry,offensive,counteroffensive,
counter-offensive,shelled,bombardment,bombing,bombings,bombs,bomber,bombers,warhead,warheads,
icbm,uav,uavs,submarine,submarines,destroyer,destroyers,frigate,frigates,airbase,air base,
missile defense,anti-aircraft,anti-tank,arms deal,arms sales,defense contractor,defence contractor,
interceptor,interceptors,launcher,launchers,sortie,sorties,peacekeepers,occupation,occupied,
annexation,casualties,killed,wounded,gunfire,gunmen,hostilities,combatants,paramilitary,
paramilitaries,militia,militias,jets,fighter,fighters,helicopter,helicopters,radar,defense,defence,
lockheed,raytheon,rtx,northrop,rheinmetall,bae systems,mbda,elbit,general dynamics,l3harris,anduril,
kongsberg,huntington ingalls,knds,rostec,almaz-antey,norinco,baykar,aselsan,israel aerospace,diehl defence,
defense contractors,defence contractors,defense firms,defence firms,arms maker,arms makers`)

// Weak military words: counted only with a strong one.
var weakMilitaryTerms = newSet(`killed,wounded,jets,fighter,fighters,helicopter,helicopters,radar,
defense,defence,occupation,occupied,offensive,casualties,bombs,rocket,rockets,tank,tanks,drone,drones,
submarine,submarines,bomber,bombers,destroyer,destroyers,shelled,combat,war,wars`)

// AP-style abbreviations of U.S. states used in datelines ("FOXBOROUGH, Mass.").
var usStateAbbrev = map[string]string{
	"ala": "Alabama", "ariz": "Arizona", "ark": "Arkansas", "calif": "California", "colo": "Colorado",
	"conn": "Connecticut", "del": "Delaware", "fla": "Florida", "ga": "Georgia", "ill": "Illinois",
	"ind": "Indiana", "kan": "Kansas", "kans": "Kansas", "ky": "Kentucky", "la": "Louisiana",
	"md": "Maryland", "mass": "Massachusetts", "mich": "Michigan", "minn": "Minnesota",
	"miss": "Mississippi", "mo": "Missouri", "mont": "Montana", "neb": "Nebraska", "nev": "Nevada",
	"n h": "New Hampshire", "n j": "New Jersey", "n m": "New Mexico", "n y": "New York",
	"n c": "North Carolina", "n d": "North Dakota", "okla": "Oklahoma", "ore": "Oregon",
	"pa": "Pennsylvania", "r i": "Rhode Island", "s c": "South Carolina", "s d": "South Dakota",
	"tenn": "Tennessee", "tex": "Texas", "vt": "Vermont", "va": "Virginia", "wash": "Washington",
	"w va": "West Virginia", "wis": "Wisconsin", "wisc": "Wisconsin", "wyo": "Wyoming",
	"d c": "Washington, D.C.",
}

// Prepositions after which a capitalised word is likely a place.
var locativePreps = newSet(`in,near,at,outside,from,to,into,towards,toward,around,across,inside,
throughout,via,off,between,nearby,visit,visited,visiting,reach,reached,entered,left,fled,
struck,hit,shelled,bombed,attacked,captured,liberated,recaptured,seized,encircled,occupied`)

// Sports vocabulary: a team name followed by these, or an article full of
// them, is about sport.
var sportsTerms = newSet(`nfl,nba,mlb,nhl,mls,fifa,uefa,quarterback,touchdown,touchdowns,playoff,
playoffs,season,coach,game,games,league,championship,championships,tournament,match,matches,goal,
goals,score,scored,inning,innings,pitcher,striker,goalkeeper,midfielder,olympic,olympics,medal,medals,
gold medal,relay,sprint,marathon,franchise,roster,draft,rookie,stadium,halftime,quarter,overtime,
fans,team,teams,teammates,win,wins,won,loss,losses,defeat,victory,beat,athlete,athletes,javelin throw,
rebounds,assists,three-pointer,jumper,buzzer,shootout,saves,puck,hat-trick,hat trick,sacked,yards,
hammer throw,shot put,discus,multiplayer,gamer,gamers,gameplay,esports,killstreak,killstreaks,
video game,video games,console,consoles,playstation,xbox,nintendo,streamer,streamers,publisher`)

// Adjectives of religion, ethnicity or direction that never name a place
// on their own.
var notPlaceWords = newSet(`jewish,muslim,christian,arab,arabic,kurdish,druze,sunni,shia,shiite,catholic,orthodox,
protestant,hindu,buddhist,sikh,islamic,zionist,western,eastern,northern,southern,european,african,asian,latin,
slavic,nordic,baltic,soviet,tatar,chechen,basque,catalan,flemish,walloon,pashtun,baloch,hazara,uyghur,tibetan,
alawite,yazidi,coptic,maronite,bedouin,roma,berber,persian,turkic`)
