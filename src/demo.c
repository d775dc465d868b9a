/*
 * demo.c: the demo content (see demo.h): forty pledges, two events and the
 * names of their attendees. People and organisations are invented; their
 * commitments are the kind a regional electric-mobility campaign gathers
 * (fleets, buses, chargers, credit lines, policies, training), in the
 * author's language, spread over the six weeks before the load so that the
 * campaign's timeline has a shape. Most are approved and public (the wall
 * shows them); a few wait for moderation or for their author's
 * confirmation, one was rejected.
 */
#include <stdio.h>

#include "demo.h"

#define D 24	/* hours a day, for age_hours */
#define NONE -1

#define A "approved"
#define C "confirmed"
#define P "pending_confirmation"
#define R "rejected"

/* name, email, organisation, actor_type, country, city, category,
 * quantity, unit, target_year, language, status, public, age_hours,
 * commitment */
const struct demo_pledge demo_pledges[] = {
	{ "Valentina Rojas Fuentes", "valentina.rojas@example.org",
	  "Transportes Cordillera Sur SpA", "private_sector", "CL", "Santiago",
	  "fleet", 120, "buses", 2028, "es", A, true, 41 * D + 3,
	  "Reemplazaremos 120 buses diésel de nuestra flota urbana por buses "
	  "eléctricos antes de 2028 y publicaremos cada año el avance." },
	{ "Jorge Medina Paredes", "jorge.medina@example.org",
	  "Municipalidad Provincial de Valle Sereno", "government", "PE",
	  "Arequipa", "policy", NONE, NULL, 2030, "es", A, true, 39 * D + 5,
	  "Aprobaremos una zona de bajas emisiones en el centro histórico y "
	  "carriles exclusivos para buses eléctricos de aquí a 2030." },
	{ "Ana Beatriz Nogueira", "ana.nogueira@example.org",
	  "Fundo Horizonte Limpo", "finance", "BR", "São Paulo", "finance",
	  50000000, "usd", 2030, "pt", A, true, 38 * D + 2,
	  "Vamos destinar 50 milhões de dólares em crédito verde a operadores "
	  "de ônibus elétricos e eletropostos em cidades médias até 2030." },
	{ "Marcus Campbell", "marcus.campbell@example.org",
	  "Blue Mountain Courier Co.", "private_sector", "JM", "Kingston",
	  "fleet", 35, "vehicles", 2027, "en", A, true, 36 * D + 7,
	  "We will switch our 35 delivery vans in Kingston to electric by 2027 "
	  "and charge them at the depot from rooftop solar." },
	{ "Nadège Pierre-Louis", "nadege.pierrelouis@example.org",
	  "Association Mobilité Propre Haïti", "civil_society", "HT",
	  "Port-au-Prince", "awareness", 5000, "people", 2026, "fr", A, true,
	  33 * D + 1,
	  "Nous formerons 5 000 chauffeurs de taxi-moto à l’entretien des "
	  "motos électriques et à la sécurité routière d’ici fin 2026." },
	{ "Daniela Hernández Ortiz", "daniela.hernandez@example.org",
	  "Universidad Tecnológica del Altiplano", "academia", "MX", "Puebla",
	  "charging", 40, "chargers", 2027, "es", A, true, 31 * D + 4,
	  "Instalaremos 40 puntos de carga abiertos al público en nuestros "
	  "campus y compartiremos los datos de uso con el municipio." },
	{ "Andrés Felipe Castaño", "andres.castano@example.org", NULL,
	  "individual", "CO", "Medellín", "fleet", 1, "vehicles", 2026, "es",
	  A, true, 30 * D + 9,
	  "Cambiaré mi moto a gasolina por una eléctrica este año y el resto "
	  "del tiempo me moveré en metro y en bicicleta." },
	{ "María José Solano", "mariajose.solano@example.org",
	  "Cooperativa de Taxistas del Valle Central", "private_sector", "CR",
	  "San José", "fleet", 80, "vehicles", 2029, "es", A, true, 28 * D + 6,
	  "Nuestra cooperativa electrificará 80 taxis con crédito blando y "
	  "compartirá una red de carga en sus paradas." },
	{ "Rafael Monteiro Alves", "rafael.monteiro@example.org",
	  "Consórcio Metropolitano de Transporte de Serra Clara", "government",
	  "BR", "Belo Horizonte", "public_transport", 300, "buses", 2030, "pt",
	  A, true, 27 * D + 2,
	  "A rede metropolitana incorporará 300 ônibus elétricos até 2030, com "
	  "metas anuais publicadas no portal de transparência." },
	{ "Lucía Fernández Acosta", "lucia.fernandez@example.org",
	  "Red Ciudadana por el Aire Limpio", "civil_society", "AR", "Córdoba",
	  "awareness", 12000, "people", 2026, "es", A, true, 26 * D + 8,
	  "Llevaremos talleres sobre movilidad eléctrica y calidad del aire a "
	  "12.000 estudiantes de secundaria de la provincia." },
	{ "Martín Pereira Suárez", "martin.pereira@example.org",
	  "Energías del Plata S.A.", "private_sector", "UY", "Montevideo",
	  "charging", 150, "chargers", 2027, "es", A, true, 25 * D + 3,
	  "Instalaremos 150 cargadores rápidos en estaciones de servicio de "
	  "rutas nacionales, con energía eólica certificada." },
	{ "Gabriela Andrade Vega", "gabriela.andrade@example.org",
	  "Empresa Municipal de Movilidad Andina", "government", "EC", "Quito",
	  "public_transport", 60, "buses", 2028, "es", A, true, 24 * D + 5,
	  "Incorporaremos 60 trolebuses y buses eléctricos al corredor central "
	  "y capacitaremos a 200 conductoras y conductores." },
	{ "Ricardo Arosemena Vial", "ricardo.arosemena@example.org",
	  "Banco Istmeño de Desarrollo Sostenible", "finance", "PA",
	  "Ciudad de Panamá", "finance", 20000000, "usd", 2029, "es", A, true,
	  23 * D + 10,
	  "Abriremos una línea de 20 millones de dólares para flotas eléctricas "
	  "de pequeñas y medianas empresas de logística." },
	{ "Rosa Quispe Mamani", "rosa.quispe@example.org",
	  "Instituto Andino de Energía y Transporte", "academia", "PE", "Cusco",
	  "policy", NONE, NULL, 2027, "es", A, true, 23 * D + 1,
	  "Publicaremos un estudio abierto sobre buses eléctricos en ciudades "
	  "de altura y lo presentaremos a los gobiernos regionales." },
	{ "Kevin Ramdial", "kevin.ramdial@example.org", NULL, "individual", "TT",
	  "San Fernando", "fleet", 1, "vehicles", 2026, "en", A, true,
	  22 * D + 4,
	  "My next car will be electric, and I will car-pool to work with "
	  "three colleagues every day." },
	{ "Sharon Greaves", "sharon.greaves@example.org",
	  "National Clean Transport Taskforce", "government", "BB", "Bridgetown",
	  "public_transport", 50, "buses", 2030, "en", A, true, 21 * D + 2,
	  "We will add 50 electric buses to the public fleet and publish a "
	  "yearly report on their availability and fuel savings." },
	{ "Ixchel Pérez Cux", "ixchel.perez@example.org", "Colectivo Bici y Barrio",
	  "civil_society", "GT", "Quetzaltenango", "awareness", 3000, "people",
	  2026, "es", A, true, 21 * D + 6,
	  "Organizaremos ferias de movilidad eléctrica en diez barrios para que "
	  "3.000 vecinas y vecinos prueben bicicletas eléctricas." },
	{ "José Miguel Batista", "josemiguel.batista@example.org",
	  "Caribe Logística Eléctrica SRL", "private_sector", "DO",
	  "Santo Domingo", "fleet", 60, "vehicles", 2028, "es", A, true,
	  21 * D + 9,
	  "Electrificaremos 60 camiones de reparto de última milla y un "
	  "verificador independiente medirá las emisiones evitadas." },
	{ "Carla Mendoza Rivero", "carla.mendoza@example.org", NULL,
	  "individual", "BO", "La Paz", "other", NONE, NULL, 0, "es", A, true,
	  20 * D + 3,
	  "Iré al trabajo en teleférico y en bus eléctrico, y pediré a mi "
	  "oficina que instale un cargador para motos." },
	{ "Diego Benítez Ayala", "diego.benitez@example.org",
	  "Cámara de Movilidad Sostenible del Paraguay", "other", "PY",
	  "Asunción", "policy", NONE, NULL, 2027, "es", A, true, 20 * D + 7,
	  "Propondremos un régimen de incentivos para importar buses "
	  "eléctricos que aproveche la energía hidroeléctrica del país." },
	{ "Karla Zelaya Membreño", "karla.zelaya@example.org",
	  "Mancomunidad de Municipios del Golfo Sur", "government", "HN",
	  "Choluteca", "charging", 24, "chargers", 2028, "es", A, true,
	  19 * D + 5,
	  "Instalaremos 24 cargadores solares en terminales de mototaxis de "
	  "los cinco municipios de la mancomunidad." },
	{ "Thiago Carvalho Lima", "thiago.carvalho@example.org",
	  "Eletrovia Locadora de Veículos", "private_sector", "BR", "Recife",
	  "fleet", 400, "vehicles", 2029, "pt", A, true, 18 * D + 2,
	  "Nossa locadora terá 400 carros elétricos na frota até 2029 e "
	  "oferecerá carga gratuita aos motoristas de aplicativo." },
	{ "Sofía Castillo Brenes", "sofia.castillo@example.org",
	  "Observatorio Urbano de Movilidad", "academia", "CR", "Heredia",
	  "other", NONE, NULL, 2026, "es", A, true, 16 * D + 4,
	  "Mediremos cada trimestre la calidad del aire en cinco corredores de "
	  "buses eléctricos y publicaremos los datos abiertos." },
	{ "Emmanuel Joseph", "emmanuel.joseph@example.org",
	  "Coopérative des transporteurs du Nord", "private_sector", "HT",
	  "Cap-Haïtien", "fleet", 20, "vehicles", 2028, "fr", A, true,
	  15 * D + 8,
	  "Notre coopérative remplacera 20 tap-taps par des minibus électriques "
	  "rechargés par une centrale solaire partagée." },
	{ "Paula Restrepo Gil", "paula.restrepo@example.org",
	  "Fondo Regional de Garantías Verdes", "finance", "CO", "Bogotá",
	  "finance", 8000000, "usd", 2028, "es", A, true, 13 * D + 3,
	  "Garantizaremos 8 millones de dólares en préstamos para que "
	  "transportistas pequeños compren buses y camiones eléctricos." },
	{ "Camila Ortega Núñez", "camila.ortega@example.org", NULL, "individual",
	  "CL", "Valparaíso", "awareness", 200, "people", 2026, "es", A, true,
	  12 * D + 6,
	  "Invitaré a 200 personas de mi comunidad a probar los buses "
	  "eléctricos y contaré la experiencia en la radio local." },
	{ "Alejandro Vargas Soto", "alejandro.vargas@example.org",
	  "Gobierno Regional del Altiplano Sur", "government", "BO", "Oruro",
	  "public_transport", 25, "buses", 2029, "es", A, true, 11 * D + 2,
	  "Licitaremos 25 buses eléctricos para el transporte interurbano y "
	  "exigiremos baterías con plan de reciclaje." },
	{ "Devika Persaud", "devika.persaud@example.org",
	  "Demerara Clean Energy Partners", "private_sector", "GY", "Georgetown",
	  "charging", 12, "mw", 2028, "en", A, true, 10 * D + 5,
	  "We will build 12 MW of solar with storage to power public charging "
	  "hubs for buses and taxis in Georgetown." },
	{ "Fernanda Ríos Salazar", "fernanda.rios@example.org",
	  "Alianza de Mujeres en el Transporte", "civil_society", "MX",
	  "Monterrey", "awareness", 1500, "people", 2027, "es", A, true,
	  9 * D + 1,
	  "Formaremos a 1.500 mujeres como conductoras y técnicas de buses "
	  "eléctricos y las conectaremos con los operadores." },
	{ "Luis Alberto Sánchez", "luisalberto.sanchez@example.org",
	  "Oficina Nacional de Movilidad Limpia", "government", "SV",
	  "San Salvador", "policy", 45000, "tco2e", 2030, "es", A, true,
	  8 * D + 4,
	  "Incluiremos la electromovilidad en la actualización de la NDC con "
	  "una meta de 45.000 tCO2e evitadas al año en 2030." },
	{ "Beatriz Soares Cunha", "beatriz.cunha@example.org",
	  "Rede Escolas pelo Clima", "civil_society", "BR", "Salvador",
	  "awareness", 8000, "people", 2026, "pt", A, true, 7 * D + 7,
	  "Levaremos o tema da mobilidade elétrica a 8 mil estudantes de "
	  "escolas públicas com oficinas e visitas a garagens." },
	{ "Nicolás Herrera Lagos", "nicolas.herrera@example.org",
	  "Puerto Seco del Sur S.A.", "private_sector", "AR", "Rosario",
	  "fleet", 30, "vehicles", 2028, "es", A, true, 6 * D + 3,
	  "Usaremos 30 tractores de terminal eléctricos en nuestra plataforma "
	  "logística y mediremos el ahorro de combustible." },
	{ "Claudette Baptiste", "claudette.baptiste@example.org", NULL,
	  "individual", "LC", "Castries", "fleet", 1, "vehicles", 2027, "en",
	  A, true, 5 * D + 2,
	  "I will replace my family's petrol car with an electric one and "
	  "share my charger with my neighbours." },
	{ "Gustavo Pacheco Ruiz", "gustavo.pacheco@example.org",
	  "Autoridad de Transporte Metropolitano de Valle Alto", "government",
	  "MX", "Guadalajara", "public_transport", 150, "buses", 2030, "es", A,
	  false, 4 * D + 6,
	  "Compraremos 150 buses eléctricos para las rutas troncales y "
	  "publicaremos su desempeño en datos abiertos." },
	{ "Héctor Salinas Prieto", "hector.salinas@example.org",
	  "Minera Altos del Desierto", "private_sector", "CL", "Antofagasta", "fleet",
	  45, "vehicles", 2029, "es", A, false, 3 * D + 2,
	  "Electrificaremos 45 camionetas y buses de personal en nuestras "
	  "faenas y usaremos energía solar para cargarlos." },
	{ "Isabela Rocha Freitas", "isabela.rocha@example.org",
	  "Cooperativa de Crédito Verde do Sul", "finance", "BR", "Porto Alegre",
	  "finance", 3000000, "usd", 2027, "pt", C, true, 2 * D + 5,
	  "Ofereceremos 3 milhões de dólares em crédito para motociclistas de "
	  "entrega trocarem suas motos por modelos elétricos." },
	{ "Óscar Jiménez Rivas", "oscar.jimenez@example.org",
	  "Colegio de Ingenieros Eléctricos del Norte", "academia", "NI",
	  "León", "charging", 10, "chargers", 2027, "es", C, true, 1 * D + 9,
	  "Formaremos instaladores certificados e instalaremos diez cargadores "
	  "de prueba en edificios públicos de la ciudad." },
	{ "Wendy Charles", "wendy.charles@example.org",
	  "Island Hop Ferries Ltd.", "private_sector", "BS", "Nassau", "fleet",
	  4, "vehicles", 2030, "en", P, true, 20,
	  "We will trial four electric ferries between the islands and share "
	  "what we learn with other Caribbean operators." },
	{ "Julien Desrosiers", "julien.desrosiers@example.org", NULL,
	  "individual", "HT", "Jacmel", "awareness", 50, "people", 2026, "fr",
	  P, true, 6,
	  "J’organiserai des essais de motos électriques avec cinquante jeunes "
	  "de mon quartier avant la fin de l’année." },
	{ "Promo Seguidores", "promo.seguidores@example.org", NULL,
	  "individual", "CO", NULL, NULL, NONE, NULL, 0, "es", R, true,
	  3 * D + 11,
	  "Compra seguidores y likes baratos en nuestra página, entrega "
	  "inmediata, escríbenos ya." },
};
const size_t demo_pledges_count = sizeof(demo_pledges) /
    sizeof(demo_pledges[0]);

const struct demo_event demo_events[] = {
	{
		.slug = "semana-clima-ciudades-transporte",
		.title = {
			[LANG_ES] = "Semana del Clima: ciudades y transporte "
			    "eléctrico en las NDC",
			[LANG_EN] = "Climate Week: cities and electric transport "
			    "in the NDCs",
			[LANG_PT] = "Semana do Clima: cidades e transporte "
			    "elétrico nas NDC",
			[LANG_FR] = "Semaine du climat : villes et transport "
			    "électrique dans les CDN",
		},
		.description = {
			[LANG_ES] = "Sesión de la Semana del Clima de América "
			    "Latina y el Caribe con alcaldías, autoridades de "
			    "transporte y financiadores: cómo llevar los buses "
			    "eléctricos, la carga y los compromisos de I COMMIT "
			    "a la próxima ronda de contribuciones nacionales.",
			[LANG_EN] = "A Latin America and Caribbean Climate Week "
			    "session with mayors, transport authorities and "
			    "financiers: how electric buses, charging and the I "
			    "COMMIT pledges can shape the next round of "
			    "national contributions.",
			[LANG_PT] = "Sessão da Semana do Clima da América Latina "
			    "e do Caribe com prefeituras, autoridades de "
			    "transporte e financiadores: como levar os ônibus "
			    "elétricos, a recarga e os compromissos do I COMMIT "
			    "à próxima rodada de contribuições nacionais.",
			[LANG_FR] = "Session de la Semaine du climat d’Amérique "
			    "latine et des Caraïbes avec des maires, des "
			    "autorités de transport et des financeurs : comment "
			    "les bus électriques, la recharge et les engagements "
			    "I COMMIT peuvent nourrir la prochaine génération "
			    "de contributions nationales.",
		},
		.timezone = "America/Bogota",
		.location = "Bogotá, Colombia — Centro de convenciones, sala 3",
		.online_url = NULL,
		.days_ahead = 24,
		.start_minutes = 9 * 60 + 30,
		.duration_minutes = 90,
		.capacity = 120,
		.waitlist = true,
		.registered = 34,
	},
	{
		.slug = "precop-electromovilidad-ndc",
		.title = {
			[LANG_ES] = "PreCOP: evento paralelo sobre "
			    "electromovilidad y NDC",
			[LANG_EN] = "PreCOP side event: electric mobility and "
			    "NDCs",
			[LANG_PT] = "PreCOP: evento paralelo sobre mobilidade "
			    "elétrica e NDC",
			[LANG_FR] = "PréCOP : événement parallèle sur la mobilité "
			    "électrique et les CDN",
		},
		.description = {
			[LANG_ES] = "Ministras y ministros de ambiente y "
			    "transporte presentan cómo sus países incluyen la "
			    "movilidad eléctrica en sus NDC, con los primeros "
			    "resultados de la campaña. Presencial y en línea.",
			[LANG_EN] = "Environment and transport ministers present "
			    "how their countries bring electric mobility into "
			    "their NDCs, with the campaign's first results. In "
			    "person and online.",
			[LANG_PT] = "Ministras e ministros de meio ambiente e "
			    "transporte apresentam como seus países incluem a "
			    "mobilidade elétrica nas NDC, com os primeiros "
			    "resultados da campanha. Presencial e on-line.",
			[LANG_FR] = "Des ministres de l’environnement et des "
			    "transports présentent comment leurs pays intègrent "
			    "la mobilité électrique dans leurs CDN, avec les "
			    "premiers résultats de la campagne. Sur place et en "
			    "ligne.",
		},
		.timezone = "America/Santiago",
		.location = "Santiago, Chile — Sala de conferencias B",
		.online_url = "https://example.org/demo/precop-en-vivo",
		.days_ahead = 52,
		.start_minutes = 15 * 60,
		.duration_minutes = 120,
		.capacity = 60,
		.waitlist = true,
		.registered = 57,
	},
};
const size_t demo_events_count = sizeof(demo_events) / sizeof(demo_events[0]);

static const char *const first_names[] = { "Camila", "Mateo", "Juliana",
	"Santiago", "Mariana", "Sebastián", "Larissa", "Tomás", "Renata",
	"Joaquín", "Aisha", "Gabriel", "Fernanda", "Emilio", "Chantal",
	"Ignacio" };
static const char *const last_names[] = { "Torres", "Silva", "Morales",
	"Gómez", "Baptiste", "Costa", "Navarro", "Reyes", "Pinto", "Campbell",
	"Duarte", "Aguilar", "Lemoine", "Herrera", "Figueroa", "Santos" };
#define NFIRST (sizeof(first_names) / sizeof(first_names[0]))
#define NLAST  (sizeof(last_names) / sizeof(last_names[0]))

void
demo_attendee(size_t n, char name[DEMO_NAME_MAX], char email[DEMO_EMAIL_MAX])
{
	size_t i = n % (NFIRST * NLAST);

	/* Below NFIRST * NLAST each n names another pair: the first names in
	 * turn, the last names shifted by one each round. */
	snprintf(name, DEMO_NAME_MAX, "%s %s", first_names[i % NFIRST],
	    last_names[(i % NFIRST + i / NFIRST) % NLAST]);
	snprintf(email, DEMO_EMAIL_MAX, "asistente%03zu@example.com", n + 1);
}
