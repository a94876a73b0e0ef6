//! Genesys Cloud regions and environments: where the API and the login live.

use std::fmt;
use std::str::FromStr;

/// A Genesys Cloud region, named by the SDKs' region keys (`us_east_1`, ...).
///
/// The API host is `https://api.<domain>` and the login host `https://login.<domain>`.
/// Regions appear before this enum knows them: use [`Environment::custom`] for those.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Region {
    /// `us_east_1`: US East (Virginia), `mypurecloud.com`. The default.
    #[default]
    UsEast1,
    /// `eu_west_1`: EU West (Ireland), `mypurecloud.ie`.
    EuWest1,
    /// `ap_southeast_2`: Asia Pacific (Sydney), `mypurecloud.com.au`.
    ApSoutheast2,
    /// `ap_northeast_1`: Asia Pacific (Tokyo), `mypurecloud.jp`.
    ApNortheast1,
    /// `eu_central_1`: EU Central (Frankfurt), `mypurecloud.de`.
    EuCentral1,
    /// `us_west_2`: US West (Oregon), `usw2.pure.cloud`.
    UsWest2,
    /// `ca_central_1`: Canada (Central), `cac1.pure.cloud`.
    CaCentral1,
    /// `ap_northeast_2`: Asia Pacific (Seoul), `apne2.pure.cloud`.
    ApNortheast2,
    /// `eu_west_2`: EU West (London), `euw2.pure.cloud`.
    EuWest2,
    /// `ap_south_1`: Asia Pacific (Mumbai), `aps1.pure.cloud`.
    ApSouth1,
    /// `us_east_2`: US East 2 (FedRAMP / government), `use2.us-gov-pure.cloud`.
    UsEast2,
    /// `sa_east_1`: South America (São Paulo), `sae1.pure.cloud`.
    SaEast1,
    /// `me_central_1`: Middle East (UAE), `mec1.pure.cloud`.
    MeCentral1,
    /// `ap_northeast_3`: Asia Pacific (Osaka), `apne3.pure.cloud`.
    ApNortheast3,
    /// `eu_central_2`: EU Central 2 (Zurich), `euc2.pure.cloud`.
    EuCentral2,
    /// `mx_central_1`: Mexico (Central), `mxc1.pure.cloud`.
    MxCentral1,
    /// `ap_southeast_1`: Asia Pacific (Singapore), `apse1.pure.cloud`.
    ApSoutheast1,
    /// `eusc_de_east_1`: EU sovereign cloud (Germany East), `edee1.eusc-pure.cloud`.
    EuscDeEast1,
}

impl Region {
    /// Every region, in the order of the SDKs' region tables.
    pub const ALL: &'static [Region] = &[
        Region::UsEast1,
        Region::EuWest1,
        Region::ApSoutheast2,
        Region::ApNortheast1,
        Region::EuCentral1,
        Region::UsWest2,
        Region::CaCentral1,
        Region::ApNortheast2,
        Region::EuWest2,
        Region::ApSouth1,
        Region::UsEast2,
        Region::SaEast1,
        Region::MeCentral1,
        Region::ApNortheast3,
        Region::EuCentral2,
        Region::MxCentral1,
        Region::ApSoutheast1,
        Region::EuscDeEast1,
    ];

    /// The SDK region key, e.g. `us_east_1`.
    pub fn key(self) -> &'static str {
        self.entry().0
    }

    /// The environment domain, e.g. `mypurecloud.com`.
    pub fn domain(self) -> &'static str {
        self.entry().1
    }

    /// `https://api.<domain>`: the base URL of the Platform API.
    pub fn api_base_url(self) -> String {
        format!("https://api.{}", self.domain())
    }

    /// `https://login.<domain>`: the base URL of the login (token endpoint `/oauth/token`).
    pub fn login_base_url(self) -> String {
        format!("https://login.{}", self.domain())
    }

    fn entry(self) -> (&'static str, &'static str) {
        match self {
            Region::UsEast1 => ("us_east_1", "mypurecloud.com"),
            Region::EuWest1 => ("eu_west_1", "mypurecloud.ie"),
            Region::ApSoutheast2 => ("ap_southeast_2", "mypurecloud.com.au"),
            Region::ApNortheast1 => ("ap_northeast_1", "mypurecloud.jp"),
            Region::EuCentral1 => ("eu_central_1", "mypurecloud.de"),
            Region::UsWest2 => ("us_west_2", "usw2.pure.cloud"),
            Region::CaCentral1 => ("ca_central_1", "cac1.pure.cloud"),
            Region::ApNortheast2 => ("ap_northeast_2", "apne2.pure.cloud"),
            Region::EuWest2 => ("eu_west_2", "euw2.pure.cloud"),
            Region::ApSouth1 => ("ap_south_1", "aps1.pure.cloud"),
            Region::UsEast2 => ("us_east_2", "use2.us-gov-pure.cloud"),
            Region::SaEast1 => ("sa_east_1", "sae1.pure.cloud"),
            Region::MeCentral1 => ("me_central_1", "mec1.pure.cloud"),
            Region::ApNortheast3 => ("ap_northeast_3", "apne3.pure.cloud"),
            Region::EuCentral2 => ("eu_central_2", "euc2.pure.cloud"),
            Region::MxCentral1 => ("mx_central_1", "mxc1.pure.cloud"),
            Region::ApSoutheast1 => ("ap_southeast_1", "apse1.pure.cloud"),
            Region::EuscDeEast1 => ("eusc_de_east_1", "edee1.eusc-pure.cloud"),
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A string that names no known region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRegion(pub String);

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown Genesys Cloud region `{}` (use Environment::custom for a region this crate does not know)",
            self.0
        )
    }
}

impl std::error::Error for UnknownRegion {}

impl FromStr for Region {
    type Err = UnknownRegion;

    /// Accepts an SDK region key (`us_east_1`, case-insensitive, `-` for `_` allowed) or an
    /// environment domain in any form [`Environment::custom`] accepts (`mypurecloud.ie`,
    /// `api.mypurecloud.ie`, `https://api.mypurecloud.ie/`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        let lower = s.to_ascii_lowercase();
        let domain = normalize_domain(&lower);
        Region::ALL
            .iter()
            .copied()
            .find(|r| r.key() == key || r.domain() == domain)
            .ok_or_else(|| UnknownRegion(s.to_owned()))
    }
}

/// Strips what the JS SDK's `setEnvironment` strips: `https://`, `http://`, trailing `/`
/// and a leading `api.`.
fn normalize_domain(value: &str) -> &str {
    let mut d = value.trim();
    for scheme in ["https://", "http://"] {
        if let Some(rest) = d.strip_prefix(scheme) {
            d = rest;
        }
    }
    d = d.trim_end_matches('/');
    d.strip_prefix("api.").unwrap_or(d)
}

/// Where a client sends its requests: the API base URL and the login base URL.
///
/// Built from a [`Region`], from a custom environment domain (a region this crate does not
/// know yet), or from two explicit base URLs (a proxy, a mock server on 127.0.0.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    api_base_url: String,
    login_base_url: String,
}

impl Environment {
    /// The environment of a known region.
    pub fn region(region: Region) -> Self {
        Environment {
            api_base_url: region.api_base_url(),
            login_base_url: region.login_base_url(),
        }
    }

    /// An environment by its domain, normalized like the JS SDK's `setEnvironment`:
    /// `https://`, `http://`, a trailing `/` and a leading `api.` are stripped, so
    /// `"https://api.mypurecloud.ie/"` and `"mypurecloud.ie"` are the same environment.
    /// The API is then `https://api.<domain>` and the login `https://login.<domain>`.
    pub fn custom(domain: &str) -> Self {
        let domain = normalize_domain(domain);
        Environment {
            api_base_url: format!("https://api.{domain}"),
            login_base_url: format!("https://login.{domain}"),
        }
    }

    /// Two explicit base URLs, used as given (without a trailing `/`), e.g.
    /// `http://127.0.0.1:8080` for both in tests.
    pub fn from_base_urls(
        api_base_url: impl Into<String>,
        login_base_url: impl Into<String>,
    ) -> Self {
        Environment {
            api_base_url: api_base_url.into().trim_end_matches('/').to_owned(),
            login_base_url: login_base_url.into().trim_end_matches('/').to_owned(),
        }
    }

    /// The API base URL, without a trailing `/`.
    pub fn api_base_url(&self) -> &str {
        &self.api_base_url
    }

    /// The login base URL, without a trailing `/`; the token endpoint is `<this>/oauth/token`.
    pub fn login_base_url(&self) -> &str {
        &self.login_base_url
    }
}

impl Default for Environment {
    fn default() -> Self {
        Environment::region(Region::default())
    }
}

impl From<Region> for Environment {
    fn from(region: Region) -> Self {
        Environment::region(region)
    }
}
