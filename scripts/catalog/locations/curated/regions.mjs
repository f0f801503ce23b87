// Hand-curated first-level region fixes, keyed by catalog id
// (adm:<CC>-<ISO 3166-2 suffix>). `name` replaces the source's English name,
// `aliases` are added, `drop: true` removes a region that duplicates a city
// record (city-states and capital districts) or is obsolete.

export const REGION_OVERRIDES = {
  // Ukraine: current English spellings; "X region" / "X province" are added generically.
  'adm:UA-43': { name: 'Crimea', aliases: ['Autonomous Republic of Crimea', 'Republic of Crimea', 'Crimean Peninsula', 'Crimean peninsula', 'Krym', 'the Crimea'] },
  'adm:UA-32': { name: 'Kyiv Oblast', aliases: ['Kiev Oblast', 'Kyiv region', 'Kiev region', 'Kyiv Region', 'Kiev Region', 'Kyiv province', 'Kyivshchyna'] },
  'adm:UA-30': { drop: true, name: 'Kyiv' }, // Kyiv city = geo:703448
  'adm:UA-40': { drop: true, name: 'Sevastopol' }, // Sevastopol city = geo:694423
  'adm:UA-51': { name: 'Odesa Oblast', aliases: ['Odessa Oblast', 'Odesa region', 'Odessa region', 'Odesa Region', 'Odessa Region', 'Odesa province', 'Odessa province'] },
  'adm:UA-23': { name: 'Zaporizhzhia Oblast', aliases: ['Zaporizhia Oblast', 'Zaporozhye Oblast', 'Zaporizhzhia region', 'Zaporizhzhia Region', 'Zaporizhia region', 'Zaporozhye region', 'Zaporizhzhia province'] },
  'adm:UA-48': { aliases: ['Mykolayiv Oblast', 'Nikolaev Oblast', 'Mykolaiv region', 'Mykolayiv region', 'Nikolaev region'] },
  'adm:UA-63': { aliases: ['Kharkov Oblast', 'Kharkiv region', 'Kharkov region', 'Kharkivshchyna'] },
  'adm:UA-14': { aliases: ['Donetsk region', 'Donetsk Region', 'Donetsk province', 'Donetsk Province', 'Donetska oblast'] },
  'adm:UA-09': { aliases: ['Luhansk region', 'Lugansk region', 'Lugansk Oblast', 'Luhansk province'] },
  'adm:UA-65': { aliases: ['Kherson region', 'Kherson Region', 'Kherson province', 'Kherson Province'] },
  'adm:UA-12': { aliases: ['Dnipro Oblast', 'Dnipropetrovsk region', 'Dnipropetrovsk Region', 'Dnipro region', 'Dnipropetrovsk province', 'Dnepropetrovsk Oblast'] },
  'adm:UA-35': { aliases: ['Kirovohrad region', 'Kropyvnytskyi region'] },
  'adm:UA-59': { aliases: ['Sumy region', 'Sumy Region', 'Sumy province'] },
  'adm:UA-74': { aliases: ['Chernihiv region', 'Chernigov Oblast', 'Chernihiv province'] },
  'adm:UA-21': { aliases: ['Transcarpathia', 'Zakarpattia region', 'Transcarpathian Oblast'] },
  'adm:UA-68': { aliases: ['Khmelnytskyi region', 'Khmelnytsky Oblast', 'Khmelnytskyi province'] },
  'adm:UA-05': { aliases: ['Vinnytsia region', 'Vinnytsia province'] },
  'adm:UA-46': { aliases: ['Lviv region', 'Lviv province'] },
  'adm:UA-07': { aliases: ['Volyn region', 'Volhynia'] },
  'adm:UA-53': { aliases: ['Poltava region', 'Poltava province'] },

  // Russia: federal cities are cities; republics by their common English names.
  'adm:RU-MOW': { drop: true },
  'adm:RU-SPE': { drop: true },
  'adm:RU-MOS': { aliases: ['Moscow region', 'Moscow Region', 'Moscow province', 'Podmoskovye'] },
  'adm:RU-LEN': { aliases: ['Leningrad region', 'Leningrad Region'] },
  'adm:RU-SE': { name: 'North Ossetia-Alania', aliases: ['North Ossetia', 'Republic of North Ossetia-Alania'] },
  'adm:RU-KR': { name: 'Karelia', aliases: ['Republic of Karelia', 'Kareliya'] },
  'adm:RU-CE': { name: 'Chechnya', aliases: ['Chechen Republic', 'Chechnia'] },
  'adm:RU-DA': { aliases: ['Republic of Dagestan', 'Daghestan'] },
  'adm:RU-IN': { aliases: ['Republic of Ingushetia'] },
  'adm:RU-TA': { aliases: ['Republic of Tatarstan'] },
  'adm:RU-BA': { aliases: ['Republic of Bashkortostan', 'Bashkiria'] },
  'adm:RU-CU': { aliases: ['Chuvash Republic'] },
  'adm:RU-SA': { name: 'Yakutia', aliases: ['Sakha Republic', 'Sakha', 'Republic of Sakha'] },
  'adm:RU-KGD': { aliases: ['Kaliningrad region', 'Kaliningrad Region', 'Kaliningrad exclave'] },
  'adm:RU-BEL': { aliases: ['Belgorod region', 'Belgorod Region', 'Belgorod province'] },
  'adm:RU-KRS': { aliases: ['Kursk region', 'Kursk Region', 'Kursk province'] },
  'adm:RU-BRY': { aliases: ['Bryansk region', 'Bryansk Region', 'Bryansk province'] },
  'adm:RU-ROS': { aliases: ['Rostov region', 'Rostov Region', 'Rostov province'] },
  'adm:RU-KDA': { aliases: ['Krasnodar region', 'Krasnodar Region', 'Kuban'] },
  'adm:RU-ZAB': { aliases: ['Zabaykalsky region', 'Transbaikal Krai', 'Trans-Baikal'] },
  'adm:RU-PRI': { aliases: ['Primorye', 'Primorsky region', 'Primorsky Region'] },
  'adm:RU-YEV': { aliases: ['Jewish Autonomous Region'] },

  // Belarus, Moldova, Georgia, Azerbaijan, Armenia.
  'adm:BY-HM': { drop: true }, // Minsk city
  'adm:BY-VI': { aliases: ['Vitebsk Oblast', 'Vitsebsk Region'] },
  'adm:BY-HO': { aliases: ['Gomel Oblast', 'Homel Region'] },
  'adm:BY-HR': { aliases: ['Grodno Oblast', 'Hrodna Region'] },
  'adm:BY-MA': { aliases: ['Mogilev Oblast', 'Mahilyow Region'] },
  'adm:BY-BR': { aliases: ['Brest Oblast'] },
  'adm:MD-SN': { name: 'Transnistria', aliases: ['Pridnestrovie', 'Transdniestria', 'Trans-Dniester', 'Transnistrian region', 'Transnistria region', 'Pridnestrovian Moldavian Republic'] },
  'adm:MD-CU': { drop: true }, // Chisinau city
  'adm:MD-GA': { aliases: ['Gagauz Yeri', 'Gagauz autonomy'] },
  'adm:GE-TB': { drop: true }, // Tbilisi city
  'adm:GE-AB': { aliases: ['Republic of Abkhazia', 'Abkhaziya'] },
  'adm:GE-AJ': { aliases: ['Ajaria', 'Adjaria', 'Autonomous Republic of Adjara'] },
  'adm:AZ-NX': { aliases: ['Nakhchivan', 'Nakhichevan', 'Naxcivan'] },
  'adm:AZ-NV': { drop: true }, // Nakhchivan city
  'adm:AM-ER': { drop: true }, // Yerevan city
  'adm:AZ-XA': { drop: true, name: 'Stepanakert' }, // Stepanakert/Khankendi city = geo:146970

  // Israel and Palestine.
  'adm:PS-GZZ': { name: 'Gaza Strip', aliases: ['Gaza', 'the Strip', 'Gaza strip', 'Gaza enclave'] },
  'adm:PS-WBK': { name: 'West Bank', aliases: ['occupied West Bank', 'Judea and Samaria', 'Judaea and Samaria'] },
  'adm:IL-JM': { aliases: ['Jerusalem district'] },
  'adm:IL-TA': { aliases: ['Tel Aviv district'] },
  'adm:IL-HA': { aliases: ['Haifa district'] },
  'adm:IL-Z': { aliases: ['Northern District of Israel'] },
  'adm:IL-D': { aliases: ['Southern District of Israel'] },

  // Arab world.
  'adm:SY-DI': { drop: true }, // Damascus city
  'adm:SY-RD': { name: 'Rif Dimashq Governorate', aliases: ['Rif Dimashq', 'Damascus countryside', 'Rural Damascus', 'Damascus Countryside Governorate'] },
  'adm:SY-DY': { aliases: ['Deir ez-Zor province', 'Deir el-Zour province', 'Deir Ezzor province'] },
  'adm:SY-HL': { aliases: ['Aleppo province'] },
  'adm:SY-HA': { name: 'Al-Hasakah Governorate', aliases: ['Hasakah province', 'Hasaka province', 'Hasakah Governorate'] },
  'adm:SY-RA': { name: 'Raqqa Governorate', aliases: ['Ar-Raqqah Governorate', 'Raqqa province', 'Raqqah province'] },
  'adm:SY-SU': { name: 'Suwayda Governorate', aliases: ['As-Suwayda Governorate', 'Sweida province', 'Suwayda province', 'Sweida Governorate'] },
  'adm:LB-BA': { drop: true }, // Beirut city
  'adm:LB-AK': { name: 'Akkar Governorate', aliases: ['Akkar'] },
  'adm:LB-BI': { aliases: ['Bekaa', 'Beqaa'] },
  'adm:LB-JA': { name: 'South Governorate', aliases: ['South Lebanon', 'southern Lebanon', 'Southern Lebanon'] },
  'adm:LB-AS': { name: 'North Governorate', aliases: ['North Lebanon'] },
  'adm:LB-NA': { aliases: ['Nabatieh province'] },
  'adm:IQ-BG': { aliases: ['Baghdad province'] },
  'adm:IQ-AN': { name: 'Anbar Governorate', aliases: ['Al Anbar Governorate', 'Anbar province', 'Anbar'] },
  'adm:IQ-NI': { name: 'Nineveh Governorate', aliases: ['Nineveh Province', 'Nineveh province', 'Ninawa'] },
  'adm:IQ-AR': { name: 'Erbil Governorate', aliases: ['Arbil Province', 'Erbil province'] },
  'adm:IQ-SD': { name: 'Saladin Governorate', aliases: ['Saladin Province', 'Salahuddin province', 'Salah al-Din province'] },
  'adm:IQ-QA': { name: 'Al-Qadisiyyah Governorate', aliases: ['Qadisiyah province', 'Diwaniyah province'] },
  'adm:IQ-DA': { name: 'Duhok Governorate', aliases: ['Dohuk Governorate', 'Duhok province', 'Dohuk province'] },
  'adm:YE-SA': { name: "Amanat al-Asimah", aliases: ['Sanaa Capital Secretariat', 'Amanat Al Asimah'] },
  'adm:YE-G26': { name: 'Sanaa Governorate', aliases: ["Sana'a Governorate", 'Sanaa province'] },
  'adm:YE-TA': { name: 'Taiz Governorate', aliases: ["Ta'izz Governorate", 'Taiz province', 'Taizz province'] },
  'adm:YE-HU': { name: 'Hodeidah Governorate', aliases: ['Al Hudaydah Governorate', 'Hodeidah province', 'Hudaydah Governorate'] },
  'adm:YE-MA': { name: 'Marib Governorate', aliases: ["Ma'rib Governorate", 'Marib province'] },
  'adm:YE-SD': { aliases: ['Saada province', "Sa'dah Governorate"] },
  'adm:YE-AD': { name: 'Aden Governorate', aliases: ["'Adan Governorate"] },
  'adm:YE-AM': { name: 'Amran Governorate', aliases: ["'Amran Governorate"] },
  'adm:YE-DA': { name: 'Dhale Governorate', aliases: ["Ad Dali' Governorate", 'Al Dhale Governorate'] },
  'adm:YE-BA': { name: 'Al Bayda Governorate', aliases: ["Al Bayda' Governorate", 'Bayda province'] },
  'adm:YE-HD': { aliases: ['Hadramout', 'Hadramawt', 'Hadhramaut', 'Hadramout province'] },
  'adm:YE-SH': { aliases: ['Shabwa Governorate', 'Shabwa province'] },
  'adm:SD-KH': { name: 'Khartoum State', aliases: ['Khartoum state'] },
  'adm:SD-RS': { name: 'Red Sea State', aliases: ['Red Sea state'] },
  'adm:SD-GZ': { name: 'Al Jazirah State', aliases: ['Gezira State', 'Al Jazirah', 'Gezira state', 'El Gezira'] },
  'adm:SD-GD': { name: 'Al Qadarif State', aliases: ['Gedaref State', 'Gedaref state'] },
  'adm:SD-GK': { name: 'West Kordofan', aliases: ['West Kurdufan', 'Gharb Kurdufan'] },
  'adm:SD-KN': { name: 'North Kordofan', aliases: ['North Kurdufan'] },
  'adm:SD-KA': { name: 'Kassala State', aliases: ['Kassala state'] },
  'adm:SD-SI': { name: 'Sennar State', aliases: ['Sennar state'] },
  'adm:SD-NR': { name: 'River Nile State', aliases: ['River Nile state', 'Nile River State'] },
  'adm:LY-BA': { name: 'Benghazi District' },
  'adm:LY-TB': { drop: false },
  'adm:EG-C': { drop: true }, // Cairo city
  'adm:EG-IS': { name: 'Ismailia Governorate', aliases: ['Ismailia province'] },
  'adm:EG-SIN': { aliases: ['North Sinai', 'North Sinai province'] },
  'adm:EG-JS': { aliases: ['South Sinai', 'South Sinai province'] },
  'adm:JO-AM': { name: 'Amman Governorate' },
  'adm:SA-04': { name: 'Eastern Province (Saudi Arabia)', aliases: ['Eastern Province'] },
  'adm:SA-14': { name: 'Asir Region', aliases: ["'Asir Region", 'Asir'] },
  'adm:SA-06': { name: 'Hail Region', aliases: ["Ha'il Region"] },
  'adm:SA-02': { name: 'Makkah Region', aliases: ['Mecca Region', 'Mecca province'] },

  // Asia.
  'adm:AF-ORU': { drop: true }, // duplicate of AF-URU (same GeoNames admin1)
  'adm:AF-URU': { name: 'Uruzgan Province', aliases: ['Urozgan Province', 'Oruzgan Province', 'Uruzgan'] },
  'adm:AF-GHO': { name: 'Ghor Province', aliases: ['Ghor'] },
  'adm:AF-KAB': { name: 'Kabul Province' },
  'adm:PK-IS': { drop: true }, // Islamabad city
  'adm:PK-NA': { aliases: ['Gilgit Baltistan', 'Northern Areas'] },
  'adm:PK-JK': { aliases: ['Azad Jammu and Kashmir', 'AJK', 'Pakistan-administered Kashmir', 'Pakistan-controlled Kashmir', 'Azad Kashmir'] },
  'adm:PK-KP': { aliases: ['Khyber-Pakhtunkhwa', 'North-West Frontier Province', 'NWFP', 'Khyber Pakhtunkhwa province'] },
  'adm:PK-BA': { aliases: ['Baluchistan', 'Balochistan province'] },
  'adm:PK-PB': { name: 'Punjab (Pakistan)', aliases: ['Punjab', 'Punjab province'] },
  'adm:PK-SD': { aliases: ['Sindh province', 'Sind'] },
  'adm:IN-PB': { name: 'Punjab (India)', aliases: ['Punjab', 'Punjab state'] },
  'adm:IN-JK': { aliases: ['J&K', 'Jammu & Kashmir', 'Indian-administered Kashmir', 'Indian-controlled Kashmir'] },
  'adm:IN-DL': { drop: true }, // Delhi city
  'adm:IN-OR': { aliases: ['Orissa'] },
  'adm:IN-UL': { aliases: ['Uttaranchal'] },
  'adm:CN-11': { drop: true }, 'adm:CN-31': { drop: true }, 'adm:CN-12': { drop: true }, 'adm:CN-50': { drop: true },
  'adm:CN-54': { name: 'Tibet', aliases: ['Tibet Autonomous Region', 'Xizang'] },
  'adm:CN-65': { aliases: ['Xinjiang Uyghur Autonomous Region', 'Xinjiang Uighur Autonomous Region', 'East Turkestan', 'East Turkistan'] },
  'adm:CN-15': { aliases: ['Inner Mongolia Autonomous Region', 'Nei Mongol'] },
  'adm:CN-45': { aliases: ['Guangxi Zhuang Autonomous Region'] },
  'adm:CN-64': { aliases: ['Ningxia Hui Autonomous Region'] },
  'adm:KR-11': { drop: true }, 'adm:KR-26': { drop: true }, 'adm:KR-27': { drop: true }, 'adm:KR-28': { drop: true },
  'adm:KR-29': { drop: true }, 'adm:KR-30': { drop: true }, 'adm:KR-31': { drop: true },
  'adm:KR-22': { name: 'Sejong', aliases: ['Sejong City', 'Sejong-si'] },
  'adm:KR-42': { aliases: ['Gangwon-do'] },
  'adm:KR-41': { aliases: ['Gyeonggi-do', 'Gyeonggi'] },
  'adm:KR-49': { aliases: ['Jeju Island', 'Jeju-do', 'Cheju'] },
  'adm:KP-01': { drop: true }, // Pyongyang city
  'adm:KP-13': { name: 'Rason', aliases: ['Rason Special Economic Zone', 'Rajin-Sonbong'] },
  'adm:KP-07': { name: 'Kangwon Province (North Korea)', aliases: ['Kangwon Province'] },
  'adm:TW-TPE': { drop: true }, 'adm:TW-NWT': { drop: true }, 'adm:TW-TXG': { drop: true }, 'adm:TW-TNN': { drop: true },
  'adm:TW-KHH': { drop: true }, 'adm:TW-KEE': { drop: true }, 'adm:TW-CYI': { drop: true }, 'adm:TW-HSZ': { drop: true },
  'adm:TW-TAO': { drop: true },
  'adm:TW-CYQ': { name: 'Chiayi County', noAdmin: true, coords: [23.4596, 120.2932] },
  'adm:TW-HSQ': { name: 'Hsinchu County', noAdmin: true, coords: [24.827, 121.013] },
  'adm:TW-CHA': { name: 'Changhua County', noAdmin: true, coords: [24.0759, 120.5444] },
  'adm:TW-HUA': { name: 'Hualien County', noAdmin: true, coords: [23.9872, 121.6016] },
  'adm:TW-KIN': { name: 'Kinmen', noAdmin: true, coords: [24.4493, 118.3767], aliases: ['Kinmen County', 'Kinmen Islands', 'Quemoy', 'Jinmen'] },
  'adm:TW-LIE': { name: 'Matsu Islands', noAdmin: true, coords: [26.1608, 119.9497], aliases: ['Matsu', 'Lienchiang County', 'Lienchiang'] },
  'adm:TW-MIA': { name: 'Miaoli County', noAdmin: true, coords: [24.5602, 120.8214] },
  'adm:TW-NAN': { name: 'Nantou County', noAdmin: true, coords: [23.9096, 120.6837] },
  'adm:TW-PEN': { name: 'Penghu', noAdmin: true, coords: [23.5712, 119.5793], aliases: ['Penghu County', 'Penghu Islands', 'Pescadores'] },
  'adm:TW-PIF': { name: 'Pingtung County', noAdmin: true, coords: [22.669, 120.4862] },
  'adm:TW-TTT': { name: 'Taitung County', noAdmin: true, coords: [22.7583, 121.1444] },
  'adm:TW-ILA': { name: 'Yilan County', noAdmin: true, coords: [24.757, 121.753] },
  'adm:TW-YUN': { name: 'Yunlin County', noAdmin: true, coords: [23.7092, 120.5431] },
  'adm:JP-13': { drop: true }, // Tokyo city
  'adm:JP-01': { aliases: ['Hokkaido Prefecture'] },
  'adm:PH-00': { name: 'Metro Manila', aliases: ['National Capital Region', 'NCR'] },
  'adm:PH-14': { name: 'Bangsamoro', aliases: ['Autonomous Region in Muslim Mindanao', 'BARMM', 'ARMM', 'Bangsamoro Autonomous Region in Muslim Mindanao'] },
  'adm:MM-18': { drop: true }, // Naypyidaw city

  // Africa.
  'adm:ET-AA': { drop: true }, 'adm:ET-DD': { drop: true },
  'adm:ET-TI': { name: 'Tigray', aliases: ['Tigray Region', 'Tigray region'] },
  'adm:ET-AM': { name: 'Amhara Region', aliases: ['Amhara region'] },
  'adm:ET-OR': { name: 'Oromia', aliases: ['Oromia Region', 'Oromia region'] },
  'adm:ET-AF': { name: 'Afar Region', aliases: ['Afar region'] },
  'adm:ET-SO': { name: 'Somali Region', aliases: ['Somali region', 'Ogaden'] },
  'adm:ET-SN': { name: 'Southern Nations, Nationalities, and Peoples\' Region', aliases: ['SNNPR'] },
  'adm:SO-BN': { drop: true }, // Mogadishu
  'adm:ML-BKO': { drop: true }, 'adm:NE-8': { drop: true }, 'adm:CD-KN': { drop: true },
  'adm:BF-12': { name: 'Sahel Region (Burkina Faso)', aliases: [] },
  'adm:CD-NK': { aliases: ['Nord-Kivu'] },
  'adm:CD-SK': { aliases: ['Sud-Kivu'] },

  // Americas and Europe.
  'adm:US-DC': { drop: true }, // Washington, D.C. = geo:4140963
  'adm:US-GA': { name: 'Georgia (U.S. state)', aliases: ['Georgia', 'State of Georgia', 'Georgia state', 'U.S. state of Georgia'] },
  'adm:US-WA': { name: 'Washington (state)', aliases: ['Washington State', 'Washington state', 'State of Washington'] },
  'adm:US-NY': { name: 'New York (state)', aliases: ['New York State', 'New York state', 'State of New York', 'New York'] },
  'adm:GB-ENG': { aliases: [] },
  'adm:DE-BE': { drop: true }, 'adm:DE-HH': { drop: true }, 'adm:DE-HB': { drop: true },
  'adm:AT-9': { drop: true }, // Vienna
  'adm:ES-MD': { aliases: ['Madrid region'] },
  'adm:CA-QC': { name: 'Quebec', aliases: ['Québec', 'Province of Quebec', 'Quebec province'] },
};

/** First-level units missing from iso3166-2-db, added with their GeoNames admin1 code. */
export const REGION_EXTRA = [
  { id: 'adm:IN-LA', cc: 'IN', admin: '41', name: 'Ladakh', aliases: ['Ladakh Union Territory'] },
  // South Sudan's ten states (restored in 2020); iso3166-2-db lists the
  // short-lived 2015-2020 units instead, keyed to no GeoNames admin1 code.
  { id: 'adm:SS-EC', cc: 'SS', admin: '01', name: 'Central Equatoria', aliases: ['Central Equatoria State'] },
  { id: 'adm:SS-EE', cc: 'SS', admin: '02', name: 'Eastern Equatoria', aliases: ['Eastern Equatoria State'] },
  { id: 'adm:SS-JG', cc: 'SS', admin: '03', name: 'Jonglei', aliases: ['Jonglei State', 'Jonglei state'] },
  { id: 'adm:SS-LK', cc: 'SS', admin: '04', name: 'Lakes State', aliases: ['Lakes state'] },
  { id: 'adm:SS-BN', cc: 'SS', admin: '05', name: 'Northern Bahr el Ghazal', aliases: ['Northern Bahr al Ghazal'] },
  { id: 'adm:SS-UY', cc: 'SS', admin: '06', name: 'Unity State', aliases: ['Unity state'] },
  { id: 'adm:SS-NU', cc: 'SS', admin: '07', name: 'Upper Nile', aliases: ['Upper Nile State', 'Upper Nile state'] },
  { id: 'adm:SS-WR', cc: 'SS', admin: '08', name: 'Warrap', aliases: ['Warrap State'] },
  { id: 'adm:SS-BW', cc: 'SS', admin: '09', name: 'Western Bahr el Ghazal', aliases: ['Western Bahr al Ghazal'] },
  { id: 'adm:SS-EW', cc: 'SS', admin: '10', name: 'Western Equatoria', aliases: ['Western Equatoria State'] },
];
