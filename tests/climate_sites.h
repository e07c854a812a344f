/* climate_sites.h - the six EPW files of ../shared/data/weather/epw and the
 * catalog names their normals go under (shared by the realdata tests). */
#ifndef DCSIM_TESTS_CLIMATE_SITES_H
#define DCSIM_TESTS_CLIMATE_SITES_H

typedef struct climate_site {
    const char *name;       /* key in scenarios/catalog/climates.yaml */
    const char *file;       /* under DCSIM_SHARED_DATA/weather/epw */
    const char *period;     /* TMYx period from the file name */
    double latitude_deg;    /* ../shared/data/weather/epw/SOURCE.md */
    int dry_cooler_hours;   /* FACTS.md 3 [D]: dry cooler (10 K) <= 30 degC */
    int tower_hours;        /* FACTS.md 3 [D]: open tower (5 K) <= 27 degC */
} climate_site;

static const climate_site CLIMATE_SITES[6] = {
    {"lulea", "SWE_NB_Lulea.AP.021860_TMYx.2009-2023.epw", "2009-2023", 65.54, 8580, 8760},
    {"dulles", "USA_VA_Dulles-Washington.Dulles.Intl.AP.724030_TMYx.2009-2023.epw",
     "2009-2023", 38.98, 6093, 8161},
    {"phoenix", "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMYx.2007-2021.epw", "2007-2021",
     33.43, 3065, 8081},
    {"dallas", "USA_TX_Dallas-Fort.Worth.Intl.AP.722590_TMYx.2009-2023.epw", "2009-2023",
     32.90, 4258, 6459},
    {"singapore", "SGP_SG_Singapore-Changi.Intl.AP.486980_TMYx.2009-2023.epw", "2009-2023",
     1.37, 0, 6},
    {"frankfurt", "DEU_HE_Frankfurt.AP.106370_TMYx.2009-2023.epw", "2009-2023", 50.03, 7529,
     8748},
};

#endif
